import Foundation

extension Optional {
    /// The wrapped value, or the given error thrown.
    package func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
