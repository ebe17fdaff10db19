import Foundation

/// A process's memory, from /proc: this process's, or a child's such as a W4 worker.
enum ProcessMemory {
    static func residentMB(pid: String = "self") -> Double { field("VmRSS", pid: pid) }
    static func peakMB(pid: String = "self") -> Double { field("VmHWM", pid: pid) }

    private static func field(_ name: String, pid: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
