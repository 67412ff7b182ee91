package io.gpumarket.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuCatalogTest {
    private final GpuCatalog catalog = GpuCatalog.load();

    @Test
    void the_bundled_catalog_knows_the_common_models() {
        assertThat(catalog.names())
                .hasSizeGreaterThanOrEqualTo(25)
                .contains(
                        "RTX 3060",
                        "RTX 3070",
                        "RTX 3080",
                        "RTX 3090",
                        "RTX 4070",
                        "RTX 4080",
                        "RTX 4090",
                        "RTX 5090",
                        "RTX A4000",
                        "RTX A5000",
                        "RTX A6000",
                        "RTX 6000Ada",
                        "L4",
                        "L40",
                        "L40S",
                        "A10",
                        "A40",
                        "A100 PCIE",
                        "A100 SXM4",
                        "H100 PCIE",
                        "H100 SXM",
                        "H200",
                        "V100",
                        "T4",
                        "Tesla P100");
        for (String name : catalog.names()) {
            GpuModel m = catalog.model(name);
            assertThat(m.known()).as(name).isTrue();
            assertThat(m.vramMb()).as(name).isPositive();
            assertThat(m.fp32Tflops()).as(name).isPositive();
            assertThat(m.memBandwidthGbs()).as(name).isPositive();
            assertThat(m.computeCap()).as(name).isBetween(600, 1200);
            assertThat(m.dlperf()).as(name).isPositive();
        }
    }

    @Test
    void faster_cards_have_higher_dlperf() {
        assertThat(catalog.model("H100 SXM").dlperf())
                .isGreaterThan(catalog.model("A100 SXM4").dlperf());
        assertThat(catalog.model("RTX 4090").dlperf())
                .isGreaterThan(catalog.model("RTX 3090").dlperf());
        assertThat(catalog.model("RTX 3090").dlperf())
                .isGreaterThan(catalog.model("T4").dlperf());
    }

    @Test
    void lookups_ignore_case_underscores_and_vendor_prefixes() {
        GpuModel m = catalog.model("RTX 4090");
        assertThat(catalog.model("rtx_4090")).isEqualTo(m);
        assertThat(catalog.model("NVIDIA GeForce RTX 4090")).isEqualTo(m);
        assertThat(catalog.model("  RTX   4090 ")).isEqualTo(m);
        assertThat(catalog.find("RTX 4090 Ti")).isEmpty();
    }

    @Test
    void an_unknown_model_keeps_its_name_and_has_zero_speed_figures() {
        GpuModel m = catalog.model("Radeon VII");
        assertThat(m.name()).isEqualTo("Radeon VII");
        assertThat(m.known()).isFalse();
        assertThat(m.dlperf(4)).isZero();
        assertThat(m.totalFlops(4)).isZero();
        assertThat(m.computeCap()).isZero();
    }

    @Test
    void multi_gpu_dlperf_grows_with_the_bundle_but_less_than_linearly() {
        GpuModel m = catalog.model("H100 SXM");
        assertThat(m.dlperf(1)).isEqualTo(m.dlperf());
        assertThat(GpuModel.scaling(1)).isEqualTo(1.0);
        assertThat(GpuModel.scaling(2)).isCloseTo(0.95, within(1e-12));
        assertThat(GpuModel.scaling(8)).isCloseTo(0.95 * 0.95 * 0.95, within(1e-12));
        double previous = 0;
        for (int n = 1; n <= 16; n++) {
            assertThat(m.dlperf(n)).as("n=" + n).isGreaterThan(previous);
            if (n > 1) assertThat(m.dlperf(n)).as("n=" + n).isLessThan(m.dlperf() * n);
            previous = m.dlperf(n);
        }
    }

    @Test
    void total_flops_add_up_across_the_bundle() {
        GpuModel m = catalog.model("RTX 4090");
        assertThat(m.totalFlops(4)).isEqualTo(m.fp32Tflops() * 4);
    }

    @Test
    void a_malformed_catalog_line_is_refused_with_its_line_number() {
        String header = "name,vram_mb,fp32_tflops,mem_bw_gbs,compute_cap,dlperf,arch";
        assertThatThrownBy(() -> GpuCatalog.parse(List.of(header, "X1,abc,1,1,800,1,nvidia")))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> GpuCatalog.parse(List.of(header, "X1,1,1,1,800,1,nvidia", "x1,1,1,1,800,1,nvidia")))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> GpuCatalog.parse(List.of("name,vram"))).hasMessageContaining("header");
    }
}
