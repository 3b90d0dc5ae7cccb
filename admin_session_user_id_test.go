package vault

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminSessionWithoutUserIDDecodes holds docs/AdminSessionResponse.md:
// only `id` is checked among the required members, so a session the
// server sent without `userId` decodes with an empty UserID, in the list
// and alone, while one without `id` is a *DecodeError.
func TestAdminSessionWithoutUserIDDecodes(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /admin/users/usr_42/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"sessions":[{"id":"ses_1","status":"active"}],"currentSessions":1,"maxSessions":5}`)
	})
	ts.mux.HandleFunc("GET /admin/users/usr_42/sessions/ses_1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"id":"ses_1","status":"revoked"}`)
	})
	ts.mux.HandleFunc("GET /admin/users/usr_42/sessions/ses_2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"userId":"usr_42","status":"revoked"}`)
	})

	list, err := client.AdminSessions.ListUserSessions(context.Background(), "usr_42")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "ses_1", list[0].ID)
	assert.Empty(t, list[0].UserID)

	one, err := client.AdminSessions.GetUserSession(context.Background(), "usr_42", "ses_1")
	require.NoError(t, err)
	assert.Equal(t, "ses_1", one.ID)
	assert.Empty(t, one.UserID)
	assert.Equal(t, SessionStatusRevoked, one.Status)

	_, err = client.AdminSessions.GetUserSession(context.Background(), "usr_42", "ses_2")
	var de *DecodeError
	assert.ErrorAs(t, err, &de, "a session without id")
}
