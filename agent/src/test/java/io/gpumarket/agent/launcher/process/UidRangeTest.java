package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidRangeTest {
    @TempDir
    Path dir;

    InstanceFiles instance(String agent, long id) throws Exception {
        InstanceFiles f = InstanceFiles.of(Files.createDirectories(dir.resolve(agent)), id);
        Files.createDirectories(f.dir());
        return f;
    }

    @Test
    void two_instances_never_share_a_range_even_under_two_agents_and_an_instance_keeps_its_own() throws Exception {
        UidRange registry = new UidRange(dir.resolve("registry"));
        InstanceFiles a = instance("agent-1", 1);
        InstanceFiles b = instance("agent-2", 1);

        int slotA = registry.claim(a);
        int slotB = registry.claim(b);
        assertThat(slotA).isNotEqualTo(slotB).isBetween(1, UidRange.SLOTS);
        assertThat(registry.claim(a)).isEqualTo(slotA);
        assertThat(UidRange.heldHostUid(a)).hasValue(UidRange.BASE + UidRange.SIZE * slotA);
        assertThat(UidRange.hostUid(UidRange.SLOTS) + UidRange.SIZE - 1).isLessThan(Integer.MAX_VALUE);
    }

    @Test
    void a_released_range_or_one_whose_instance_directory_is_gone_is_taken_again() throws Exception {
        UidRange registry = new UidRange(dir.resolve("registry"));
        InstanceFiles gone = instance("agent-1", 7);
        registry.claim(gone);
        Files.delete(gone.uidSlot());
        Files.delete(gone.dir());

        // An instance whose path hashes to the same first slot: write the stale claim under its slot to force it.
        InstanceFiles next = instance("agent-1", 8);
        int first = 1
                + Math.floorMod(
                        next.dir().toAbsolutePath().normalize().toString().hashCode(), UidRange.SLOTS);
        Files.writeString(
                dir.resolve("registry").resolve(Integer.toString(first)),
                gone.dir().toString());
        assertThat(registry.claim(next)).isEqualTo(first);

        registry.release(next);
        assertThat(dir.resolve("registry").resolve(Integer.toString(first))).doesNotExist();
    }
}
