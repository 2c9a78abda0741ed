package io.privacyplatform.consent.mapping;

import jakarta.persistence.Converter;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.support.mapping.WireValue;
import io.privacyplatform.support.mapping.WireValueColumn;

/** Stores {@link WireValue} enums by their wire value ({@code legitimate_interest}), as the API shows them. */
public final class WireColumns {

    private WireColumns() {
    }

    @Converter
    public static class DecisionColumn extends WireValueColumn<Decision> {
        public DecisionColumn() {
            super(Decision.class);
        }
    }

    @Converter
    public static class LawfulBasisColumn extends WireValueColumn<LawfulBasis> {
        public LawfulBasisColumn() {
            super(LawfulBasis.class);
        }
    }

    @Converter
    public static class ChannelColumn extends WireValueColumn<Channel> {
        public ChannelColumn() {
            super(Channel.class);
        }
    }

    @Converter
    public static class PurposeCategoryColumn extends WireValueColumn<PurposeCategory> {
        public PurposeCategoryColumn() {
            super(PurposeCategory.class);
        }
    }
}
