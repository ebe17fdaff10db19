import Foundation
import Logging

/// The version `/health` reports.
public enum SchedulerVersion {
    public static let current = "0.1.0"
}
