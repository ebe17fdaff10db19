import ArgumentParser
import Foundation
import Scheduler

extension TaskStatus: ExpressibleByArgument {}
