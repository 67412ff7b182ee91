package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.User;
import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateContent;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.TemplateRepo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TemplateRepo}: templates with their content, seen by their creator or by all when public, changed by their creator only. */
public interface TemplateRepoContract extends StoreFixture {

    default TemplateContent content(String name, boolean isPrivate) {
        return TemplateContent.of(Map.of(
                "name",
                name,
                "image",
                "pytorch/pytorch",
                "env",
                "-e A=1",
                "extra_filters",
                Map.of("num_gpus", Map.of("gte", 2)),
                "private",
                isPrivate,
                "recommended_disk_space",
                20));
    }

    @Test
    default void a_template_keeps_its_content_and_is_found_by_id_and_hash() {
        User alice = user("alice");
        TemplateContent c = content("torch", true);
        Template t = repos().templates().create(alice.id(), "hash-1", c, now());

        assertThat(t).isEqualTo(new Template(t.id(), alice.id(), "hash-1", t.content(), now(), now(), 0, null, false));
        assertThat(t.content().hashId(alice.id())).isEqualTo(c.hashId(alice.id()));
        assertThat(t.content().extraFilters()).isEqualTo(Map.of("num_gpus", Map.of("gte", 2)));
        assertThat(repos().templates().find(t.id())).contains(t);
        assertThat(repos().templates().findByHash("hash-1")).contains(t);
        assertThat(repos().templates().findByHash("hash-2")).isEmpty();
    }

    @Test
    default void a_user_sees_their_own_templates_and_the_public_ones() {
        User alice = user("alice");
        User bob = user("bob");
        Template alicePrivate = repos().templates().create(alice.id(), "a1", content("a1", true), now());
        Template alicePublic = repos().templates().create(alice.id(), "a2", content("a2", false), now());
        Template bobPrivate = repos().templates().create(bob.id(), "b1", content("b1", true), now());

        assertThat(repos().templates().visibleTo(alice.id())).containsExactly(alicePrivate, alicePublic);
        assertThat(repos().templates().visibleTo(bob.id())).containsExactly(alicePublic, bobPrivate);
    }

    @Test
    default void an_edit_keeps_the_id_and_only_the_creator_can_edit_or_delete() {
        User alice = user("alice");
        User bob = user("bob");
        Template t = repos().templates().create(alice.id(), "h1", content("torch", true), now());
        clock().advance(java.time.Duration.ofSeconds(5));

        assertThat(repos().templates().update(bob.id(), t.id(), "h-evil", content("evil", false), now()))
                .isFalse();
        assertThat(repos().templates().delete(bob.id(), t.id(), now())).isFalse();
        assertThat(repos().templates().update(alice.id(), t.id(), "h2", content("torch2", false), now()))
                .isTrue();

        Template edited = repos().templates().find(t.id()).orElseThrow();
        assertThat(edited.hashId()).isEqualTo("h2");
        assertThat(edited.content().name()).isEqualTo("torch2");
        assertThat(edited.updatedAt()).isEqualTo(now());
        assertThat(edited.createdAt()).isEqualTo(t.createdAt());
        assertThat(repos().templates().findByHash("h1")).isEmpty();
        assertThat(repos().templates().visibleTo(bob.id())).containsExactly(edited);
    }

    @Test
    default void a_deleted_template_is_gone_and_its_hash_may_be_used_again() {
        User alice = user("alice");
        Template t = repos().templates().create(alice.id(), "h1", content("torch", true), now());

        assertThat(repos().templates().delete(alice.id(), t.id(), now())).isTrue();
        assertThat(repos().templates().delete(alice.id(), t.id(), now())).isFalse();
        assertThat(repos().templates().find(t.id())).isEmpty();
        assertThat(repos().templates().visibleTo(alice.id())).isEmpty();
        assertThat(repos().templates()
                        .create(alice.id(), "h1", content("torch", true), now())
                        .id())
                .isGreaterThan(t.id());
    }

    @Test
    default void two_live_templates_cannot_share_a_hash() {
        User alice = user("alice");
        repos().templates().create(alice.id(), "h1", content("torch", true), now());
        Template other = repos().templates().create(alice.id(), "h2", content("jax", true), now());

        assertThatThrownBy(() -> repos().templates().create(alice.id(), "h1", content("torch", true), now()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("h1");
        assertThatThrownBy(
                        () -> repos().templates().update(alice.id(), other.id(), "h1", content("torch", true), now()))
                .isInstanceOf(DuplicateException.class);
    }

    @Test
    default void creations_are_counted_with_the_latest_time() {
        User alice = user("alice");
        Template t = repos().templates().create(alice.id(), "h1", content("torch", true), now());
        clock().advance(java.time.Duration.ofMinutes(1));

        assertThat(repos().templates().countCreation(t.id(), now())).isTrue();
        assertThat(repos().templates().countCreation(t.id(), now())).isTrue();

        Template counted = repos().templates().find(t.id()).orElseThrow();
        assertThat(counted.countCreated()).isEqualTo(2);
        assertThat(counted.recentCreateAt()).isEqualTo(now());
    }
}
