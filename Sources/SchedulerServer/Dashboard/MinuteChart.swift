import Foundation
import Scheduler

/// A small line chart of the last hour, one point a minute, drawn as inline SVG paths
/// on the server: no script, nothing fetched, scaled to the largest value. A minute
/// without a value (no attempt finished) breaks its line rather than drawing a zero.
struct MinuteChart {
    /// One line: its name in the caption, its CSS class, a value per minute.
    struct Line {
        var name: String
        var style: String
        var values: [Int?]
    }

    static let width = 240.0
    static let height = 48.0

    var title: String
    var unit: String
    var lines: [Line]

    /// The largest value drawn (at least 1, so an empty hour is a flat line at zero).
    var maximum: Int { max(1, lines.flatMap { $0.values.compactMap { $0 } }.max() ?? 0) }

    /// The SVG path of `values`: a `M` where a run of minutes with values starts, `L`
    /// to each next one; a lone minute gets a short stroke so it shows.
    func path(_ values: [Int?]) -> String {
        let step = Self.width / Double(max(1, values.count - 1))
        var commands: [String] = []
        var runLength = 0
        for (index, value) in values.enumerated() {
            guard let value else {
                if runLength == 1 { commands.append("h3") }
                runLength = 0
                continue
            }
            let x = Double(index) * step
            let y = Self.height - 2 - Double(value) / Double(maximum) * (Self.height - 4)
            commands.append("\(runLength == 0 ? "M" : "L")\(Self.number(x)) \(Self.number(y))")
            runLength += 1
        }
        if runLength == 1 { commands.append("h3") }
        return commands.joined(separator: " ")
    }

    /// What a screen reader says instead of the picture: each line's latest value and
    /// its highest of the hour.
    var summary: String {
        let parts = lines.map { line -> String in
            let values = line.values.compactMap { $0 }
            guard let highest = values.max() else { return "\(line.name): none in the last hour" }
            let latest = line.values.last.flatMap { $0 }.map(amount) ?? "none"
            return "\(line.name): \(latest) in the latest minute, at most \(amount(highest)) in a minute of the hour"
        }
        return "\(title). " + parts.joined(separator: "; ") + "."
    }

    /// What the overview template draws.
    var fields: [String: Any] {
        [
            "title": title, "top": amount(maximum), "summary": summary,
            "width": Int(Self.width), "height": Int(Self.height),
            "lines": lines.map { ["name": $0.name, "style": $0.style, "path": path($0.values)] },
        ]
    }

    /// The overview's charts: throughput (completed and failed attempts) and the median
    /// wait and run times, from `/stats`' minutes.
    static func charts(_ minutes: [MinuteStats]) -> [MinuteChart] {
        [
            MinuteChart(title: "Attempts per minute", unit: "", lines: [
                Line(name: "Completed", style: "good", values: minutes.map(\.completed)),
                Line(name: "Failed", style: "bad", values: minutes.map(\.failedAttempts)),
            ]),
            MinuteChart(title: "Wait, median", unit: "ms", lines: [
                Line(name: "Wait", style: "accent", values: minutes.map(\.waitMsP50))
            ]),
            MinuteChart(title: "Run time, median", unit: "ms", lines: [
                Line(name: "Run", style: "accent", values: minutes.map(\.runMsP50))
            ]),
        ]
    }

    private func amount(_ value: Int) -> String { unit.isEmpty ? "\(value)" : "\(value) \(unit)" }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
