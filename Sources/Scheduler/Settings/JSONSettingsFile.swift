import Foundation

/// Reads the JSON files a deployment gives settings in (the task-types file, the
/// schedules file): a file that cannot be read or is not JSON is a start-up error that
/// `problem` words with the file's setting.
enum JSONSettingsFile {
    static func read(
        path: String, problem: (String) -> ConfigurationError
    ) throws(ConfigurationError) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw problem("cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8), let document = JSONValue(parsing: text) else {
            throw problem("is not valid JSON")
        }
        return document
    }
}
