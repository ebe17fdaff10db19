import ArgumentParser
import Foundation
import Scheduler

extension TaskPriority: ExpressibleByArgument {}
