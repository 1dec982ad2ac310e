// Stands in for jackson-datatype-jsr310, which Debian does not package: it writes an OffsetDateTime as
// an ISO 8601 string (ISO_OFFSET_DATE_TIME, what jsr310 writes with WRITE_DATES_AS_TIMESTAMPS off, as the
// generated Converter sets). Found the way jsr310 is found: listed in META-INF/services, loaded by the
// Converter's mapper.findAndRegisterModules(). A project using the models adds jsr310 instead.
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

public class Jsr310Stand extends SimpleModule {
    public Jsr310Stand() {
        super("converseiq-roundtrip-jsr310-stand");
        addSerializer(OffsetDateTime.class, new JsonSerializer<OffsetDateTime>() {
            @Override
            public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
            }
        });
    }
}
