package io.privacyplatform.consent.mapping;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.consent.WireValue;

/** Stores {@link WireValue} enums by their wire value ({@code legitimate_interest}), as the API shows them. */
public final class WireColumns {

    private WireColumns() {
    }

    abstract static class WireColumn<E extends Enum<E> & WireValue> implements AttributeConverter<E, String> {

        private final Class<E> type;

        WireColumn(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.wire();
        }

        @Override
        public E convertToEntityAttribute(String value) {
            return value == null ? null : WireValue.parse(type, value).orElseThrow(
                    () -> new IllegalStateException("unknown " + type.getSimpleName() + " " + value));
        }
    }

    @Converter
    public static class DecisionColumn extends WireColumn<Decision> {
        public DecisionColumn() {
            super(Decision.class);
        }
    }

    @Converter
    public static class LawfulBasisColumn extends WireColumn<LawfulBasis> {
        public LawfulBasisColumn() {
            super(LawfulBasis.class);
        }
    }

    @Converter
    public static class ChannelColumn extends WireColumn<Channel> {
        public ChannelColumn() {
            super(Channel.class);
        }
    }

    @Converter
    public static class PurposeCategoryColumn extends WireColumn<PurposeCategory> {
        public PurposeCategoryColumn() {
            super(PurposeCategory.class);
        }
    }
}
