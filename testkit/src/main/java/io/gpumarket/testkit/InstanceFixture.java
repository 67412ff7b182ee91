package io.gpumarket.testkit;

import io.gpumarket.core.account.User;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.NewInstance;
import java.util.List;
import java.util.Map;

/** Builders for the instance parts of the store contract. */
public interface InstanceFixture extends StoreFixture {

    /** A full launch: env with a published port and a hostname, args, onstart, the CLI's runtype tokens. */
    default Launch launch() {
        return new Launch(
                "pytorch/pytorch:2.4.0",
                List.of(new EnvPair("TZ", "UTC"), new EnvPair("-p 8080:8080", "1"), new EnvPair("-h", "box")),
                "echo hello",
                List.of("bash", "-c", "sleep 1"),
                null,
                Runtype.SSH,
                "ssh_direc ssh_proxy");
    }

    /** A running 1-GPU instance of {@code owner} on {@code machine}, rented from a fresh offer of it. */
    default Instance instance(User owner, Machine machine) {
        OfferSlot offer =
                repos().offers().replace(machine.id(), List.of(1), now()).get(0);
        return repos().instances()
                .create(
                        new NewInstance(
                                owner.id(),
                                machine.id(),
                                offer.id(),
                                1,
                                launch(),
                                "job",
                                20.0,
                                IntendedStatus.RUNNING,
                                40_000,
                                Map.of("8080/tcp", 40_001),
                                new ContractPrices(400_000, 150_000, 10_000, 5_000, 1_893_456_000L)),
                        now());
    }
}
