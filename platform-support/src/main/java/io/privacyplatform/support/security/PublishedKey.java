package io.privacyplatform.support.security;

/**
 * One verification key as the keys endpoints publish it.
 *
 * @param publicKey base64 of the X.509 SubjectPublicKeyInfo (DER): {@code openssl pkey -pubin -inform DER} reads it
 */
public record PublishedKey(String keyId, String algorithm, String publicKey, KeyStatus status) {
}
