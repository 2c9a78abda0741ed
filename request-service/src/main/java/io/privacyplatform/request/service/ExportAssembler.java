package io.privacyplatform.request.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.ExportPart;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.request.repository.ExportPartRepository;

/**
 * The answer to an access, portability or information request: every store's EXPORT data, grouped by system,
 * with a manifest of the systems asked (from the last progress report), those that answered and their record
 * counts. A system's export sent in several parts is their arrays concatenated in part order. As CSV: a zip with one file per system, objects flattened (nested keys joined with '.', header = union of
 * keys in order of appearance).
 */
@ApplicationScoped
public class ExportAssembler {

    @Inject
    ObjectMapper mapper;

    @Inject
    ExportPartRepository exportParts;

    @Inject
    Clock clock;

    @Inject
    RequestViews views;

    public record Export(ObjectNode document, Map<String, JsonNode> systems) {
    }

    public Export assemble(RightsRequest request) {
        if (!request.type.exportsData() || request.status != RequestStatus.COMPLETED) {
            throw ApiException.notFound("export");
        }
        List<ExportPart> parts = exportParts.ofRequest(request.tenantId, request.id);
        Set<String> asked = new TreeSet<>();
        views.systems(request).stream().map(SystemProgress::system).forEach(asked::add);
        ObjectNode document = mapper.createObjectNode();
        document.put("requestId", request.id.toString());
        document.put("type", request.type.wire());
        document.put("generatedAt", clock.instant().toString());
        ObjectNode manifest = document.putObject("manifest");
        asked.forEach(manifest.putArray("systemsAsked")::add);
        var answered = manifest.putArray("systemsAnswered");
        ObjectNode records = manifest.putObject("records");
        ObjectNode systems = document.putObject("systems");
        Map<String, JsonNode> data = new LinkedHashMap<>();
        Map<String, List<ExportPart>> bySystem = new LinkedHashMap<>();
        parts.forEach(part -> bySystem.computeIfAbsent(part.system, system -> new ArrayList<>()).add(part));
        bySystem.forEach((system, ofSystem) -> {
            JsonNode node = joined(ofSystem);
            answered.add(system);
            records.put(system, ofSystem.get(0).records);
            systems.set(system, node);
            data.put(system, node);
        });
        return new Export(document, data);
    }

    /** A system's export: its single part as sent, or its parts' arrays concatenated in part order. */
    private JsonNode joined(List<ExportPart> ofSystem) {
        if (ofSystem.size() == 1 && ofSystem.get(0).parts == 1) {
            return read(ofSystem.get(0).data);
        }
        ArrayNode all = mapper.createArrayNode();
        ofSystem.forEach(part -> all.addAll((ArrayNode) read(part.data)));
        return all;
    }

    public byte[] csvZip(Export export) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            ObjectNode manifest = mapper.createObjectNode();
            manifest.put("requestId", export.document().get("requestId").asText());
            manifest.put("generatedAt", export.document().get("generatedAt").asText());
            manifest.set("manifest", export.document().get("manifest"));
            zip.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            for (Map.Entry<String, JsonNode> system : export.systems().entrySet()) {
                zip.putNextEntry(new ZipEntry(system.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".csv"));
                zip.write(csv(system.getValue()).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write the export zip", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Rows: the elements of an array; for an object whose values are all arrays ({@code {"mails":[…]}}), the
     * elements of each, with a {@code record_type} column naming the array; any other object is one row.
     */
    public static String csv(JsonNode data) {
        List<Map<String, String>> rows = new ArrayList<>();
        if (data.isArray()) {
            data.forEach(element -> rows.add(flatten(null, element)));
        } else if (data.isObject() && data.size() > 0 && allArrays(data)) {
            data.fields().forEachRemaining(field -> field.getValue().forEach(element -> {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("record_type", neutralise(field.getKey()));
                row.putAll(flatten(null, element));
                rows.add(row);
            }));
        } else {
            rows.add(flatten(null, data));
        }
        Set<String> header = new LinkedHashSet<>();
        rows.forEach(row -> header.addAll(row.keySet()));
        StringBuilder out = new StringBuilder();
        // The keys come from the stores' data like the values do, so a header cell is neutralised the same way.
        out.append(String.join(",", header.stream().map(h -> cell(neutralise(h))).toList())).append("\r\n");
        for (Map<String, String> row : rows) {
            out.append(String.join(",", header.stream().map(h -> cell(row.getOrDefault(h, ""))).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static boolean allArrays(JsonNode object) {
        for (Iterator<JsonNode> values = object.elements(); values.hasNext();) {
            if (!values.next().isArray()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> flatten(String prefix, JsonNode node) {
        Map<String, String> row = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> row.putAll(
                    flatten(prefix == null ? field.getKey() : prefix + "." + field.getKey(), field.getValue())));
        } else {
            String key = prefix == null ? "value" : prefix;
            if (node.isNull()) {
                row.put(key, "");
            } else if (node.isValueNode()) {
                row.put(key, node.isTextual() ? neutralise(node.asText()) : node.asText());
            } else {
                row.put(key, node.toString());
            }
        }
        return row;
    }

    /** A text starting like a formula would run in a spreadsheet; a leading quote keeps it text. */
    private static String neutralise(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    private static String cell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored export data is unreadable", e);
        }
    }
}
