import Foundation
import Scheduler
import Synchronization

/// One server per SQLite file: an exclusive `flock` on `<file>-serve.lock`, held while
/// the server runs and released by the kernel if the process dies, so a crashed server
/// never blocks the next one. The file holds the holder's pid for the refusal message.
final class SQLiteServingLock: Sendable {
    private let descriptor = Mutex<Int32?>(nil)

    /// Takes the lock, or throws ``ServingLockError`` if another process holds it.
    func acquire(databasePath: String, location: String) throws {
        let path = databasePath + "-serve.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ServingLockError(location: location, holder: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            Foundation.close(fd)
            throw ServingLockError(location: location, holder: holder.map { $0.isEmpty ? "another process" : "pid \($0)" } ?? "another process")
        }
        let pid = "\(ProcessInfo.processInfo.processIdentifier)\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor.withLock { $0 = fd }
    }

    /// Lets the next server take the file.
    func release() {
        guard let fd = descriptor.withLock({ fd in defer { fd = nil }; return fd }) else { return }
        flock(fd, LOCK_UN)
        Foundation.close(fd)
    }
}
