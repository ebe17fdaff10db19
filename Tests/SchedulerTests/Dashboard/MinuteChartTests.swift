import Foundation
import Testing

@testable import Scheduler
@testable import SchedulerServer

/// The overview's per-minute charts: the SVG path drawn from the values, with gaps
/// where a minute has none, and what a screen reader is told instead.
@Suite("Dashboard charts", .timeLimit(.minutes(5)))
struct MinuteChartTests {
    @Test("values scale to the largest; a minute without a value breaks the line; a lone point still shows")
    func path() {
        let chart = MinuteChart(title: "Run time, median", unit: "ms", lines: [
            MinuteChart.Line(name: "Run", style: "accent", values: [0, 10, nil, 5, nil])
        ])
        #expect(chart.maximum == 10)
        #expect(chart.path([0, 10, nil, 5, nil]) == "M0.0 46.0 L60.0 2.0 M180.0 24.0 h3")
        #expect(chart.path([nil, nil]) == "")
        #expect(chart.summary == "Run time, median. Run: none in the latest minute, at most 10 ms in a minute of the hour.")
    }

    @Test("an empty hour draws flat lines at zero and says so")
    func emptyHour() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let charts = MinuteChart.charts((0..<60).map { MinuteStats(start: start.addingTimeInterval(Double($0) * 60)) })
        #expect(charts.map(\.maximum) == [1, 1, 1])
        #expect(charts[0].path(charts[0].lines[0].values).hasPrefix("M0.0 46.0 L4.1 46.0"))
        #expect(charts[0].summary == "Attempts per minute. Completed: 0 in the latest minute, at most 0 in a minute of the hour; "
            + "Failed: 0 in the latest minute, at most 0 in a minute of the hour.")
        #expect(charts[1].summary == "Wait, median. Wait: none in the last hour.")
        #expect(charts[1].path(charts[1].lines[0].values) == "")
    }
}
