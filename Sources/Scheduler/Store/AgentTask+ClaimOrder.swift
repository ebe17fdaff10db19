extension AgentTask {
    /// The order claims hand tasks out in: priority rank, then `scheduled_for`.
    package static func claimOrder(_ lhs: AgentTask, _ rhs: AgentTask) -> Bool {
        (lhs.priority.rank, lhs.scheduledFor) < (rhs.priority.rank, rhs.scheduledFor)
    }
}
