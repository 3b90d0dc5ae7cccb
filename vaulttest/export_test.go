package vaulttest

// PendingWaits returns how many waits for requests h has pending.
func PendingWaits(h *Handler) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.waits)
}
