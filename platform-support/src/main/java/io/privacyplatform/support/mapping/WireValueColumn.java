package io.privacyplatform.support.mapping;

import jakarta.persistence.AttributeConverter;

/**
 * Stores a {@link WireValue} enum by its wire value, the same text the API and the topics show. A service declares
 * one {@code @Converter} subclass per enum (JPA needs a concrete class with a no-argument constructor).
 */
public abstract class WireValueColumn<E extends Enum<E> & WireValue> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected WireValueColumn(Class<E> type) {
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
