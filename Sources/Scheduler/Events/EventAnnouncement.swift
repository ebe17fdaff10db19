/// When a store tells other instances of its changes (PostgreSQL's `NOTIFY`; SQLite has
/// no other instances): always, or only while one of them has event clients.
public enum EventAnnouncement: String, Sendable, CaseIterable {
    /// Every change: for short-lived processes (the CLI), whose changes a listening
    /// server must not miss, and for tests.
    case always
    /// Only while another instance streams events (looked up each second): for `serve`,
    /// so that nobody listening costs the database nothing.
    case whenListened = "when-listened"
}
