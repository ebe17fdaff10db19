extension HandlerSet {
    /// The registry of these handlers over `store` and of the task types `configuration`
    /// declares; fails if a declared type or limit does not fit them. What `serve`, every
    /// command and ``AgentScheduler`` register.
    public func registry(for store: any TaskStore, configuration: SchedulerConfiguration) throws -> HandlerRegistry {
        let registry = try HandlerRegistry(handlers(for: store), declarations: configuration.taskTypes)
        try registry.check(configuration.taskLimits)
        return registry
    }
}
