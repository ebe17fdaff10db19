import Foundation

/// The schedules file (`SCHEDULES_FILE`): schedules a deployment declares, written to the
/// database when `serve` starts (those unchanged since the last start are left alone, so
/// a tick missed while nothing ran still runs once), e.g.
///
/// ```json
/// {"schedules": [{"name": "weekday-digest", "task_type": "daily_digest", "cron": "0 9 * * 1-5",
///                 "timezone": "Europe/Zurich", "context": {"channel": "email"}, "priority": "high"}]}
/// ```
///
/// The cron expressions and time zones are checked when the file is read; task types and
/// contexts once the handlers are known. Every problem names the file and the schedule.
public enum ScheduleFile {
    static let fields: Set<String> = ["name", "task_type", "cron", "timezone", "context", "priority", "user_id"]

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> [ScheduleRequest] {
        let document = try JSONSettingsFile.read(path: path) { .schedulesFile(path: path, problem: $0) }
        return try parse(document, path: path)
    }

    /// Checks a parsed file; `path` only names it in errors.
    public static func parse(_ document: JSONValue, path: String) throws(ConfigurationError) -> [ScheduleRequest] {
        func problem(_ text: String) -> ConfigurationError { .schedulesFile(path: path, problem: text) }
        guard case .object(let root) = document, case .array(let entries)? = root["schedules"], root.count == 1 else {
            throw problem("must be a JSON object with one field, schedules, a list of schedules")
        }
        var requests: [ScheduleRequest] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let fields) = entry else { throw problem("schedules[\(index)] must be a JSON object") }
            func string(_ name: String, default fallback: String? = nil) throws(ConfigurationError) -> String {
                switch fields[name] {
                case .string(let value)?: return value
                case nil where fallback != nil: return fallback!
                default: throw problem("schedules[\(index)].\(name) must be a string")
                }
            }
            if let unknown = fields.keys.filter({ !Self.fields.contains($0) }).sorted().first {
                throw problem("schedules[\(index)].\(unknown) is not a known field (known: \(Self.fields.sorted().joined(separator: ", ")))")
            }
            let name = try string("name")
            guard Schedule.isValidName(name), !requests.contains(where: { $0.name == name }) else {
                throw problem("schedules[\(index)].name '\(name)' must be 1-100 letters, digits, _, - or . and unique in the file")
            }
            let cron = try string("cron")
            do {
                _ = try CronExpression(cron)
            } catch {
                throw problem("schedule '\(name)': \(error)")
            }
            let zone = try string("timezone", default: "UTC")
            guard TimeZone(identifier: zone) != nil else {
                throw problem("schedule '\(name)': '\(zone)' is not an IANA time zone such as Europe/Zurich or UTC")
            }
            var context = "{}"
            switch fields["context"] {
            case nil: break
            case .object?: context = (try? JSONText.encode(fields["context"]!)) ?? "{}"
            default: throw problem("schedule '\(name)': context must be a JSON object")
            }
            let priorityText = try string("priority", default: TaskPriority.medium.rawValue)
            guard let priority = TaskPriority(rawValue: priorityText) else {
                throw problem("schedule '\(name)': priority must be urgent, high, medium or low, not '\(priorityText)'")
            }
            var user: UUID?
            if fields["user_id"] != nil {
                guard let id = UUID(uuidString: try string("user_id")) else {
                    throw problem("schedule '\(name)': user_id must be a UUID")
                }
                user = id
            }
            requests.append(ScheduleRequest(
                name: name, taskType: try string("task_type"), cron: cron, timeZone: zone, contextJSON: context,
                priority: priority, userID: user))
        }
        return requests
    }
}
