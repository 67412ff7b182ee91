package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.InstanceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ContainerLabels labels = ContainerLabels.forAgent(Path.of("/var/lib/agent-a"));

    private static InstanceSpec spec(long id, String instanceKey) {
        return new InstanceSpec(
                id, "img", List.of(), "", List.of(), null, "ssh", 20, 40001, Map.of(), instanceKey, "127.0.0.1", 2);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void a_new_container_is_labelled_with_its_instance_owner_contract_gpus_and_disk() {
        Map<String, String> of = labels.of(spec(7, "key-1"), List.of(1, 3));

        assertThat(of)
                .containsEntry(ContainerLabels.INSTANCE, "7")
                .containsEntry(ContainerLabels.OWNER, "/var/lib/agent-a")
                .containsEntry(ContainerLabels.CONTRACT, ContainerLabels.contract(spec(7, "key-1")))
                .containsEntry(ContainerLabels.GPUS, GpuSlots.format(List.of(1, 3)))
                .containsEntry(ContainerLabels.DISK, "20.0");
    }

    @Test
    void names_are_fixed_per_agent_and_instance_and_differ_between_agents() {
        assertThat(labels.name(7))
                .isEqualTo(ContainerLabels.forAgent(Path.of("/var/lib/agent-a")).name(7));
        assertThat(labels.name(7)).matches("gpumarket-[0-9a-f]{8}-7");
        assertThat(ContainerLabels.forAgent(Path.of("/var/lib/agent-b")).name(7))
                .isNotEqualTo(labels.name(7));
    }

    @Test
    void a_container_from_an_earlier_contract_with_the_same_id_is_not_the_same_contract() throws Exception {
        String contract = ContainerLabels.contract(spec(7, "key-1"));
        JsonNode inspected = json("{\"Config\": {\"Labels\": {\"io.gpumarket.contract\": \"" + contract + "\"}}}");

        assertThat(ContainerLabels.sameContract(inspected, spec(7, "key-1"))).isTrue();
        assertThat(ContainerLabels.sameContract(inspected, spec(7, "key-2"))).isFalse();
        assertThat(ContainerLabels.sameContract(json("{}"), spec(7, "key-1"))).isFalse();
    }

    @Test
    void listed_containers_give_their_instance_and_gpus() throws Exception {
        JsonNode listed = json("{\"Labels\": {\"io.gpumarket.instance\": \"12\", \"io.gpumarket.gpus\": \""
                + GpuSlots.format(List.of(0, 2)) + "\"}}");

        assertThat(ContainerLabels.instanceOf(listed)).isEqualTo("12");
        assertThat(ContainerLabels.gpusOf(listed)).containsExactly(0, 2);
        assertThat(ContainerLabels.instanceOf(json("{\"Labels\": {}}"))).isEmpty();
    }

    @Test
    void disk_use_past_the_rented_disk_is_noted_and_within_it_not() throws Exception {
        JsonNode rented10 = json("{\"Config\": {\"Labels\": {\"io.gpumarket.disk_gb\": \"10.0\"}}}");

        assertThat(ContainerLabels.diskNote(12_500_000_000L, rented10))
                .isEqualTo("; disk use 12.50 GB exceeds the rented 10.00 GB");
        assertThat(ContainerLabels.diskNote(9_000_000_000L, rented10)).isEmpty();
        assertThat(ContainerLabels.diskNote(12_500_000_000L, json("{}"))).isEmpty();
        assertThat(ContainerLabels.diskNote(
                        1, json("{\"Config\": {\"Labels\": {\"io.gpumarket.disk_gb\": \"lots\"}}}")))
                .isEmpty();
    }
}
