package io.gpumarket.server.service;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.core.template.TemplateRef;
import java.time.Instant;
import java.util.List;

/**
 * An instance with what its view needs besides itself: its machine as it is now, the catalog's figures for its
 * GPU, the {@code actual_status} to show (the agent's, or unknown/offline when the agent is silent) and the time
 * it was read at (null: the agent has not reported yet), the maintenance windows announced on its machine that have not ended,
 * the template it was created from (null: none), its Jupyter server's token ("" unless a Jupyter launch), and when it
 * is stopped to move to another machine while it runs out the notice window (null: no such notice).
 */
public record ShownInstance(
        Instance instance,
        Machine machine,
        GpuModel model,
        ActualStatus actualStatus,
        Instant now,
        List<MaintenanceWindow> maintenances,
        TemplateRef template,
        String jupyterToken,
        Instant moveNoticeUntil) {}
