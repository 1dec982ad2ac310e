// Round trip through the generated Java models (generated/models/java, package au.com.converseiq.models).
//
// Reads [{"schema": "ContactPage", "body": {...}}, ...] on stdin; for each, parses the body with the
// generated Converter.<Schema>FromJsonString and writes it back with Converter.<Schema>ToJsonString;
// prints the list of results as JSON on stdout. Needs only Jackson (databind, core, annotations).
import au.com.converseiq.models.Converter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.lang.reflect.Method;

public class RoundTrip {
    public static void main(String[] args) throws Exception {
        ObjectMapper plain = new ObjectMapper();
        JsonNode cases = plain.readTree(System.in);
        ArrayNode out = plain.createArrayNode();
        for (JsonNode c : cases) {
            String schema = c.get("schema").asText();
            Method from = Converter.class.getMethod(schema + "FromJsonString", String.class);
            Object model = from.invoke(null, plain.writeValueAsString(c.get("body")));
            Method to = Converter.class.getMethod(schema + "ToJsonString", model.getClass());
            out.add(plain.readTree((String) to.invoke(null, model)));
        }
        System.out.print(plain.writeValueAsString(out));
    }
}
