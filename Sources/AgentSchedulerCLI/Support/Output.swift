import Foundation
import Logging
import Scheduler

/// Writes values as pretty JSON on standard output.
enum Output {
    static func json(_ value: some Encodable) throws {
        print(try JSONText.encode(value, pretty: true))
    }
}
