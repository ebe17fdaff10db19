import Foundation
import Scheduler

/// What the handlers may do to the domain, and nothing more: they never build SQL.
///
/// Implemented for PostgreSQL and SQLite over the same database as the task store.
public protocol DomainStore: Sendable {
    /// The user with this id, if any.
    func user(id: UUID) async throws -> User?

    /// The user's most recent `active` conversation, if any.
    func activeConversation(userID: UUID) async throws -> Conversation?

    /// The user's latest message written by the user (role `user`, `inbound`) after `since`.
    func lastInboundMessage(userID: UUID, since: Date) async throws -> Message?

    /// Inserts a message; returns its id, or the id of the message already inserted with
    /// the same idempotency key.
    func insertMessage(_ message: NewMessage, now: Date) async throws -> UUID

    /// Inserts an event; returns its id, or the id of the event already published with
    /// the same idempotency key.
    func publishEvent(_ event: NewEvent, now: Date) async throws -> UUID

    /// Sets allow-listed fields of a user (`nil` clears one); `false` when no such user.
    func updateUser(id: UUID, fields: [ProfileField: String?], now: Date) async throws -> Bool

    /// Sets a conversation's status to `paused`.
    func pauseConversation(id: UUID, now: Date) async throws

    /// Enqueues a follow-up task (honouring its idempotency key).
    func scheduleTask(_ task: NewTask, now: Date) async throws -> EnqueueResult
}
