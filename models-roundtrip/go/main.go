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

// bySchema has a round trip for every object schema of the spec (each a model of its own); the test
// roundtrip.test.ts checks that none is missing.
var bySchema = map[string]roundTrip{
	"ErrorDetail":               trip(converseiq.UnmarshalErrorDetail),
	"Error":                     trip(converseiq.UnmarshalError),
	"Workspace":                 trip(converseiq.UnmarshalWorkspace),
	"User":                      trip(converseiq.UnmarshalUser),
	"Contact":                   trip(converseiq.UnmarshalContact),
	"ContactPage":               trip(converseiq.UnmarshalContactPage),
	"ContactCreate":             trip(converseiq.UnmarshalContactCreate),
	"ContactUpdate":             trip(converseiq.UnmarshalContactUpdate),
	"Chat":                      trip(converseiq.UnmarshalChat),
	"ChatPage":                  trip(converseiq.UnmarshalChatPage),
	"ChatCreate":                trip(converseiq.UnmarshalChatCreate),
	"ChatUpdate":                trip(converseiq.UnmarshalChatUpdate),
	"Message":                   trip(converseiq.UnmarshalMessage),
	"MessagePage":               trip(converseiq.UnmarshalMessagePage),
	"MessageCreate":             trip(converseiq.UnmarshalMessageCreate),
	"TeamMember":                trip(converseiq.UnmarshalTeamMember),
	"TeamMemberPage":            trip(converseiq.UnmarshalTeamMemberPage),
	"WebhookUserData":           trip(converseiq.UnmarshalWebhookUserData),
	"WebhookUserCreated":        trip(converseiq.UnmarshalWebhookUserCreated),
	"WebhookUserUpdated":        trip(converseiq.UnmarshalWebhookUserUpdated),
	"WebhookDeletedData":        trip(converseiq.UnmarshalWebhookDeletedData),
	"WebhookUserDeleted":        trip(converseiq.UnmarshalWebhookUserDeleted),
	"WebhookChatData":           trip(converseiq.UnmarshalWebhookChatData),
	"WebhookChatCreated":        trip(converseiq.UnmarshalWebhookChatCreated),
	"WebhookMessageData":        trip(converseiq.UnmarshalWebhookMessageData),
	"WebhookChatMessageCreated": trip(converseiq.UnmarshalWebhookChatMessageCreated),
	"WebhookChatMessageUpdated": trip(converseiq.UnmarshalWebhookChatMessageUpdated),
	"WebhookChatMessageDeleted": trip(converseiq.UnmarshalWebhookChatMessageDeleted),
	"WebhookChatMuted":          trip(converseiq.UnmarshalWebhookChatMuted),
	"WebhookChatUnmuted":        trip(converseiq.UnmarshalWebhookChatUnmuted),
	"WebhookChatArchived":       trip(converseiq.UnmarshalWebhookChatArchived),
	"WebhookChatUnarchived":     trip(converseiq.UnmarshalWebhookChatUnarchived),
	"WebhookChatResolved":       trip(converseiq.UnmarshalWebhookChatResolved),
	"WebhookChatReopened":       trip(converseiq.UnmarshalWebhookChatReopened),
	"WebhookChatDeleted":        trip(converseiq.UnmarshalWebhookChatDeleted),
	"WebhookContactData":        trip(converseiq.UnmarshalWebhookContactData),
	"WebhookContactCreated":     trip(converseiq.UnmarshalWebhookContactCreated),
	"WebhookContactUpdated":     trip(converseiq.UnmarshalWebhookContactUpdated),
	"WebhookContactDeleted":     trip(converseiq.UnmarshalWebhookContactDeleted),
}

// model is a generated model: a pointer to it has the generated Marshal method.
type model[T any] interface {
	*T
	Marshal() ([]byte, error)
}

// trip parses with a generated Unmarshal<Schema> and writes back with the model's Marshal.
func trip[T any, P model[T]](unmarshal func([]byte) (T, error)) roundTrip {
	return func(b []byte) ([]byte, error) {
		r, err := unmarshal(b)
		if err != nil {
			return nil, err
		}
		return P(&r).Marshal()
	}
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
