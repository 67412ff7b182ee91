package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryLoginTest {
    @Test
    void vast_style_login_flags_become_the_engines_registry_auth_header() {
        RegistryLogin login = RegistryLogin.parse("-u bob -p 's3cret pass' registry.example.org")
                .orElseThrow();
        assertThat(RegistryLogin.decode(login.header("registry.example.org/team/model:1")))
                .isEqualTo(
                        "{\"username\":\"bob\",\"password\":\"s3cret pass\",\"serveraddress\":\"registry.example.org\"}");
    }

    @Test
    void a_login_without_a_registry_is_for_the_images_own_registry() {
        RegistryLogin login = RegistryLogin.parse("--username=bob --password=x").orElseThrow();
        assertThat(login.appliesTo("bob/private:latest")).isTrue();
        assertThat(RegistryLogin.decode(login.header("bob/private:latest")))
                .contains("\"serveraddress\":\"docker.io\"");
    }

    @Test
    void the_credential_goes_only_to_the_registry_it_names() {
        RegistryLogin hub = RegistryLogin.parse("-u bob -p x docker.io").orElseThrow();
        assertThat(hub.appliesTo("bob/private:1")).isTrue();
        assertThat(hub.appliesTo("index.docker.io/bob/private:1")).isTrue();
        assertThat(hub.appliesTo("ghcr.io/bob/private:1")).isFalse();
        assertThat(RegistryLogin.registryOf("localhost:5000/img")).isEqualTo("localhost:5000");
        assertThat(RegistryLogin.registryOf("pytorch/pytorch:2.4.0")).isEqualTo("docker.io");
    }

    @Test
    void no_login_is_nothing_and_a_half_login_is_refused_without_echoing_the_password() {
        assertThat(RegistryLogin.parse(null)).isEmpty();
        assertThat(RegistryLogin.parse("  ")).isEmpty();
        assertThatThrownBy(() -> RegistryLogin.parse("-p hunter2 docker.io"))
                .hasMessageContaining("-u USER")
                .hasMessageNotContaining("hunter2");
        assertThat(RegistryLogin.parse("-u bob -p hunter2").orElseThrow().toString())
                .doesNotContain("hunter2");
    }
}
