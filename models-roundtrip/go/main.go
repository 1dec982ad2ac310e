// Round trip through the generated Go models (generated/models/go/models.go, package converseiq).
//
// Reads [{"schema": "ContactPage", "body": {...}}, ...] on stdin; for each, parses the body with the
// generated Unmarshal<Schema> and writes it back with its Marshal; prints the list of results on stdout.
// Standard library only, so it builds with no module download.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"roundtrip/converseiq"
)

type roundTrip func([]byte) ([]byte, error)

var bySchema = map[string]roundTrip{
	"Workspace":      func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalWorkspace(b); return marshal(&r, err) },
	"User":           func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalUser(b); return marshal(&r, err) },
	"Contact":        func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalContact(b); return marshal(&r, err) },
	"ContactPage":    func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalContactPage(b); return marshal(&r, err) },
	"Chat":           func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalChat(b); return marshal(&r, err) },
	"ChatPage":       func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalChatPage(b); return marshal(&r, err) },
	"Message":        func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalMessage(b); return marshal(&r, err) },
	"MessagePage":    func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalMessagePage(b); return marshal(&r, err) },
	"TeamMember":     func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalTeamMember(b); return marshal(&r, err) },
	"TeamMemberPage": func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalTeamMemberPage(b); return marshal(&r, err) },
	"Error":          func(b []byte) ([]byte, error) { r, err := converseiq.UnmarshalError(b); return marshal(&r, err) },
}

// marshal calls the generated Marshal method of whichever model was parsed.
func marshal(model interface{ Marshal() ([]byte, error) }, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return model.Marshal()
}

func main() {
	var cases []struct {
		Schema string          `json:"schema"`
		Body   json.RawMessage `json:"body"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fail("reading the cases: %v", err)
	}
	out := make([]json.RawMessage, 0, len(cases))
	for _, c := range cases {
		trip, ok := bySchema[c.Schema]
		if !ok {
			fail("no round trip for schema %s: add it to bySchema", c.Schema)
		}
		written, err := trip(c.Body)
		if err != nil {
			fail("%s: %v", c.Schema, err)
		}
		out = append(out, written)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("writing the results: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
