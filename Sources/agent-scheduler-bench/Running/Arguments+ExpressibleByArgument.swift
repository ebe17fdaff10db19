import ArgumentParser
import Scheduler

extension DatabasePoolMode: ExpressibleByArgument {}

extension EventAnnouncement: ExpressibleByArgument {}
