package io.gpumarket.agent.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.agent.CopyTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pull of a move names when the instance mounts volumes (docs/migrate.md, "Volumes move with it"): each
 * mount path besides the instance's own paths, kept at its full path, unless an own path already holds it. The
 * transfer itself, with real agents, is {@code e2e/MigrateEndToEndTest} and {@code e2e/ContainerMigrateTest}.
 */
class CopyPullVolumesTest {
    @TempDir
    Path dir;

    static final CopyPull.Progress SILENT = new CopyPull.Progress() {
        @Override
        public void report(long copyId, String state, String message) {}

        @Override
        public void note(long instanceId, String line) {}
    };

    CopyPull moveOf(List<VolumeMount> volumes, String srcPath) {
        InstanceSpec spec = new InstanceSpec(
                7,
                "busybox",
                List.of(),
                "true",
                List.of(),
                null,
                "ssh",
                10,
                0,
                Map.of(),
                "k",
                "127.0.0.1",
                1,
                null,
                volumes);
        CopyTask task = new CopyTask(1, CopyTask.PULL, "t", "", 7, "127.0.0.1", 2222, srcPath, "/");
        return new CopyPull(new ProcessLauncher(dir.resolve("instances")), spec, task, SILENT);
    }

    @Test
    void a_moving_instances_volumes_are_pulled_at_their_mount_paths_unless_an_own_path_holds_them() {
        CopyPull pull = moveOf(
                List.of(
                        new VolumeMount(3, 5, "/data/models"),
                        new VolumeMount(4, 5, "/root/cache"),
                        new VolumeMount(5, 5, "/workspace")),
                "/");
        assertThat(pull.volumeSources()).containsExactly("/data/models");
        assertThat(pull.sources())
                .containsExactly(
                        "vastai_kaalia@peer::7/root",
                        "vastai_kaalia@peer::7/workspace",
                        "vastai_kaalia@peer::7/tmp",
                        "vastai_kaalia@peer::7/data/models");
        assertThat(pull.script()).contains(" -R --no-implied-dirs");
    }

    @Test
    void a_move_without_volumes_and_a_copy_of_a_path_name_no_mount_path() {
        assertThat(moveOf(List.of(), "/").script()).doesNotContain(" -R ");
        CopyPull part = moveOf(List.of(new VolumeMount(3, 5, "/data")), "/root/tree/");
        assertThat(part.volumeSources()).isEmpty();
        assertThat(part.sources()).containsExactly("vastai_kaalia@peer::7//root/tree/");
    }
}
