extension SchedulerConfiguration {
    /// Refuses settings that must not serve HTTP: without an API token the server binds
    /// loopback only. Checked before anything is opened, so a refusal is only a message.
    public func checkServing() throws(ConfigurationError) {
        guard apiToken == nil, !Self.isLoopback(host) else { return }
        let token = apiTokenSetButEmpty
            ? "SCHEDULER_API_TOKEN is set but empty, which counts as no token; give it a value to serve other addresses"
            : "set SCHEDULER_API_TOKEN to serve other addresses"
        throw .invalidValue(
            setting: ConfigurationSetting.host.displayName, value: host,
            expected: "a loopback address (127.0.0.1, ::1, localhost) without an API token: \(token)")
    }

    /// Whether a host name or address only reaches this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
