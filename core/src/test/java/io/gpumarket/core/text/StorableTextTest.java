package io.gpumarket.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import org.junit.jupiter.api.Test;

class StorableTextTest {
    @Test
    void ordinary_text_emoji_and_other_control_characters_are_storable() {
        assertThat(StorableText.firstUnstorable("GPU fell off the bus \uD83D\uDE80 \t\u0001\u007F é 中"))
                .isEqualTo(-1);
        assertThat(StorableText.firstUnstorable("")).isEqualTo(-1);
    }

    @Test
    void nul_and_unpaired_surrogates_are_found_where_they_are() {
        assertThat(StorableText.firstUnstorable("ab\u0000c")).isEqualTo(2);
        assertThat(StorableText.firstUnstorable("a\uD800")).isEqualTo(1);
        assertThat(StorableText.firstUnstorable("a\uD800b")).isEqualTo(1);
        assertThat(StorableText.firstUnstorable("\uDC00a")).isEqualTo(0);
        assertThat(StorableText.firstUnstorable("\uD83D\uDE80\uDE80")).isEqualTo(2);
    }

    @Test
    void a_refusal_is_a_bad_request_naming_the_field_the_character_and_its_position() {
        assertThatThrownBy(() -> StorableText.require("my\u0000label", "'label'"))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessage(
                        "'label' contains a NUL character (U+0000) at position 2, which cannot be stored; remove it");
        assertThatThrownBy(() -> StorableText.require("x\uDBFF", "'name'"))
                .hasMessageContaining("an unpaired surrogate (U+DBFF) at position 1");
    }

    @Test
    void replacing_keeps_pairs_and_turns_the_rest_into_the_replacement_character() {
        assertThat(StorableText.replaceUnstorable("a\u0000b\uD800c\uD83D\uDE80"))
                .isEqualTo("a\uFFFDb\uFFFDc\uD83D\uDE80");
        String clean = "clean";
        assertThat(StorableText.replaceUnstorable(clean)).isSameAs(clean);
    }
}
