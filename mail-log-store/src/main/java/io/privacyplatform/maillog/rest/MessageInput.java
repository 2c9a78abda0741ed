package io.privacyplatform.maillog.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** One sent message as the delivery pipeline reports it. */
public record MessageInput(
        @NotBlank @Size(max = 300) String messageId,
        @NotBlank @Email @Size(max = 320) String from,
        @NotEmpty @Size(max = 100) List<@NotBlank @Email @Size(max = 320) String> to,
        @Size(max = 100) List<@NotBlank @Email @Size(max = 320) String> cc,
        @Size(max = 1000) String subject,
        @NotNull Instant sentAt,
        @Size(max = 100) Map<@NotBlank @Size(max = 200) String, @Size(max = 4000) String> headers,
        @Size(max = 1048576) String body) {
}
