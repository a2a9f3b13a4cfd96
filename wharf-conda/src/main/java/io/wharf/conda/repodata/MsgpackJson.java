package io.wharf.conda.repodata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/** JSON values to and from msgpack, as CEP 16 shards carry them. */
final class MsgpackJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  /** Real records nest three levels; anything much deeper is hostile. */
  private static final int MAX_DEPTH = 64;

  private MsgpackJson() {}

  /**
   * A repodata record as a msgpack map with sorted keys. CEP 16 stores {@code md5} and {@code sha256}
   * as raw bytes (bin 16 / bin 32); anything that is not well-formed hex is left a string, as rattler
   * also accepts.
   */
  static void packRecord(MessagePacker out, JsonNode record) throws IOException {
    List<Map.Entry<String, JsonNode>> entries = sortedEntries(record);
    out.packMapHeader(entries.size());
    for (Map.Entry<String, JsonNode> e : entries) {
      out.packString(e.getKey());
      JsonNode v = e.getValue();
      boolean digest = v.isTextual()
          && ((e.getKey().equals("md5") && RepodataRecords.isHex(v.textValue(), 32, false))
              || (e.getKey().equals("sha256") && RepodataRecords.isHex(v.textValue(), 64, false)));
      if (digest) {
        packBinary(out, HEX.parseHex(v.textValue()));
      } else {
        pack(out, v, 1);
      }
    }
  }

  static void packBinary(MessagePacker out, byte[] bytes) throws IOException {
    out.packBinaryHeader(bytes.length);
    out.writePayload(bytes);
  }

  static void pack(MessagePacker out, JsonNode v, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("JSON nested too deeply");
    }
    if (v == null || v.isNull() || v.isMissingNode()) {
      out.packNil();
    } else if (v.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = sortedEntries(v);
      out.packMapHeader(entries.size());
      for (Map.Entry<String, JsonNode> e : entries) {
        out.packString(e.getKey());
        pack(out, e.getValue(), depth + 1);
      }
    } else if (v.isArray()) {
      out.packArrayHeader(v.size());
      for (JsonNode item : v) {
        pack(out, item, depth + 1);
      }
    } else if (v.isTextual()) {
      out.packString(v.textValue());
    } else if (v.isBoolean()) {
      out.packBoolean(v.booleanValue());
    } else if (v.isIntegralNumber()) {
      if (v.canConvertToLong()) {
        out.packLong(v.longValue());
      } else {
        out.packBigInteger(v.bigIntegerValue()); // up to 2^64-1; larger throws, as msgpack cannot hold it
      }
    } else if (v.isNumber()) {
      out.packDouble(v.doubleValue());
    } else {
      throw new IOException("cannot pack JSON node of type " + v.getNodeType());
    }
  }

  /** A msgpack value as JSON; binary becomes lowercase hex so decoded records compare with JSON ones. */
  static JsonNode unpack(MessageUnpacker in, int depth, int inputLength) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("msgpack nested too deeply");
    }
    ValueType type = in.getNextFormat().getValueType();
    switch (type) {
      case NIL -> {
        in.unpackNil();
        return NODES.nullNode();
      }
      case BOOLEAN -> {
        return NODES.booleanNode(in.unpackBoolean());
      }
      case INTEGER -> {
        BigInteger i = in.unpackBigInteger();
        // the node types Jackson picks when parsing JSON, so decoded and parsed records compare equal
        if (i.bitLength() < 32) {
          return NODES.numberNode(i.intValue());
        }
        return i.bitLength() < 64 ? NODES.numberNode(i.longValue()) : NODES.numberNode(i);
      }
      case FLOAT -> {
        return NODES.numberNode(in.unpackDouble());
      }
      case STRING -> {
        return NODES.textNode(in.unpackString());
      }
      case BINARY -> {
        int length = in.unpackBinaryHeader();
        if (length < 0 || length > inputLength) {
          throw new IOException("msgpack binary longer than its input"); // before allocating it
        }
        return NODES.textNode(HEX.formatHex(in.readPayload(length)));
      }
      case ARRAY -> {
        int size = in.unpackArrayHeader();
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < size; i++) {
          array.add(unpack(in, depth + 1, inputLength));
        }
        return array;
      }
      case MAP -> {
        int size = in.unpackMapHeader();
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < size; i++) {
          if (in.getNextFormat().getValueType() != ValueType.STRING) {
            throw new IOException("msgpack map key is not a string");
          }
          String key = in.unpackString();
          object.set(key, unpack(in, depth + 1, inputLength));
        }
        return object;
      }
      default -> throw new IOException("unsupported msgpack type " + type);
    }
  }

  private static List<Map.Entry<String, JsonNode>> sortedEntries(JsonNode object) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
    // code point order equals UTF-8 byte order, which is how rattler's sorted maps come out
    entries.sort(Map.Entry.comparingByKey(JsonText.CODE_POINT_ORDER));
    return entries;
  }
}
