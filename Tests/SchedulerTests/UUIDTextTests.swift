import Foundation
import Testing

@testable import Scheduler

@Suite("UUID text", .timeLimit(.minutes(5)))
struct UUIDTextTests {
    private static let samples = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                  UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        + (0..<500).map { _ in UUID() }

    @Test("formats as Foundation does, in lowercase")
    func formats() {
        for id in Self.samples {
            #expect(id.lowercasedString == id.uuidString.lowercased())
        }
    }

    @Test("parses what Foundation parses, in either case")
    func parses() {
        for id in Self.samples {
            #expect(UUID(canonicalText: id.uuidString) == id)
            #expect(UUID(canonicalText: id.lowercasedString) == id)
        }
    }

    @Test("refuses what is not the canonical form", arguments: [
        "", "not a uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810-9dad-11d1-80b4-00c04fd430c88",
        "6ba7b8109dad-11d1-80b4-00c04fd430c8-", "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "{6ba7b810-9dad-11d1-80b4-00c04fd430}",
        "6ba7b810 9dad 11d1 80b4 00c04fd430c8", "６ba7b810-9dad-11d1-80b4-00c04fd430c8",
    ])
    func refuses(text: String) {
        #expect(UUID(canonicalText: text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
