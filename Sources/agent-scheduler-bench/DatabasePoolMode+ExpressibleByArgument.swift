import ArgumentParser
import Scheduler

extension DatabasePoolMode: ExpressibleByArgument {}
