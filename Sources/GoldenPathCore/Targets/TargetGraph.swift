/// The targets and the edges between them (`needs` and `steps`), checked: every reference exists and there is no cycle.
public struct TargetGraph: Sendable {
    /// The targets in file-name order.
    public let targets: [TargetDefinition]
    private let byName: [String: TargetDefinition]
    /// `timeout(of:)` without a composite's own timeout, for every target (see `summedTimeouts`).
    private var throughTimeouts: [String: Int] = [:]

    public init(_ targets: [TargetDefinition]) throws(DiagnosticsError) {
        self.targets = targets.sorted { $0.name < $1.name }
        var byName: [String: TargetDefinition] = [:]
        for target in targets { byName[target.name] = target }
        self.byName = byName

        var collector = DiagnosticCollector()
        let names = self.targets.map(\.name)
        for target in self.targets {
            for (key, references) in [("needs", target.needs), ("steps", target.steps)] {
                for reference in references {
                    if reference.name == target.name {
                        collector.error(at: reference.location, "target '\(target.name)' lists itself in '\(key)'",
                                        fix: "remove '\(reference.name)' from '\(key)'")
                    } else if byName[reference.name] == nil {
                        var fix = "add targets/\(reference.name).yml or remove '\(reference.name)' from '\(key)'"
                        if let near = Suggestion.nearest(to: reference.name, in: names) {
                            fix = "did you mean '\(near)'? Otherwise add targets/\(reference.name).yml or remove it from '\(key)'"
                        }
                        collector.error(at: reference.location, "target '\(target.name)' \(key == "needs" ? "needs" : "has the step") '\(reference.name)', which does not exist",
                                        fix: fix)
                    }
                }
            }
        }
        if collector.hasErrors { throw DiagnosticsError(collector.diagnostics) }
        if let cycle = Self.findCycle(in: self.targets, byName: byName) {
            let first = byName[cycle[0]]!
            let second = cycle[1]
            let reference = (first.needs + first.steps).first { $0.name == second }!
            throw DiagnosticsError(.error(at: reference.location, "targets depend on each other in a cycle: \(cycle.joined(separator: " -> "))",
                                          fix: "remove one of these 'needs'/'steps' entries so that the chain ends"))
        }
        throughTimeouts = Self.summedTimeouts(self.targets, byName: byName, order: topologicalOrder)
    }

    public func target(named name: String) -> TargetDefinition? { byName[name] }

    /// The targets a target depends on directly: its needs, then its steps.
    public func dependencies(of target: TargetDefinition) -> [String] {
        target.needs.map(\.name) + target.steps.map(\.name)
    }

    /// Every target that running `goals` runs, each after the targets it depends on, in a stable order.
    public func plan(for goals: [String]) -> [String] {
        var order: [String] = []
        var done = Set<String>()
        func visit(_ name: String) {
            guard !done.contains(name), let target = byName[name] else { return }
            done.insert(name)
            for dependency in dependencies(of: target) { visit(dependency) }
            order.append(name)
        }
        for goal in goals { visit(goal) }
        return order
    }

    /// The longest `make NAME` may take: a composite target's own timeout when it gives one, else the sum of the
    /// timeouts of every target it goes through (each defaulting to `TargetDefinition.defaultTimeout`).
    public func timeout(of name: String) -> Int {
        if let target = byName[name], target.isComposite, let own = target.timeoutSeconds { return own }
        return throughTimeouts[name] ?? 0
    }

    /// Every target's summed timeout, the sum of each target's own timeout over `plan(for: [name])`, worked out once
    /// per graph in dependency order. Plans of a target's dependencies may share targets, which count once, so each
    /// target's plan is a bit set (bit i: the i-th target of `order`): its own bit joined with its dependencies'
    /// sets, a few machine words per dependency. The sum is then taken per distinct timeout value (a handful in any
    /// repository: the default, a few written ones) by counting the bits the plan shares with that value's set. A
    /// walk of every plan instead costs the plan's size in hash look-ups per target: for 10,000 targets that each
    /// need a few others, most of a run.
    static func summedTimeouts(_ targets: [TargetDefinition], byName: [String: TargetDefinition],
                               order: [String]) -> [String: Int] {
        func own(_ target: TargetDefinition) -> Int {
            target.isComposite ? 0 : target.timeoutSeconds ?? TargetDefinition.defaultTimeout
        }
        let count = order.count
        guard count > 0 else { return [:] }
        var position: [String: Int] = [:]
        position.reserveCapacity(count)
        for (index, name) in order.enumerated() { position[name] = index }
        let owns = order.map { byName[$0].map(own) ?? 0 }
        let words = (count + 63) / 64
        var plans = [UInt64](repeating: 0, count: count * words)
        // One set per distinct timeout value: the targets whose own timeout it is.
        let values = Array(Set(owns)).sorted()
        var valueSets = [UInt64](repeating: 0, count: values.count * words)
        let valueIndex = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        for (index, value) in owns.enumerated() {
            valueSets[valueIndex[value]! * words + index / 64] |= 1 << UInt64(index % 64)
        }
        var sums: [String: Int] = [:]
        sums.reserveCapacity(count)
        plans.withUnsafeMutableBufferPointer { plans in
            for (index, name) in order.enumerated() {
                guard let target = byName[name] else { continue }
                let base = index * words
                plans[base + index / 64] |= 1 << UInt64(index % 64)
                for dependency in target.needs + target.steps {
                    // Dependencies come earlier in `order`: their sets are complete.
                    guard let other = position[dependency.name], other != index else { continue }
                    let otherBase = other * words
                    for word in 0..<words { plans[base + word] |= plans[otherBase + word] }
                }
                var total = 0
                for (slot, value) in values.enumerated() where value != 0 {
                    var bits = 0
                    let valueBase = slot * words
                    for word in 0..<words { bits += (plans[base + word] & valueSets[valueBase + word]).nonzeroBitCount }
                    total += bits * value
                }
                sums[name] = total
            }
        }
        return sums
    }

    /// All targets, each after its dependencies. Composite targets are visited first, so their steps come in the
    /// order they run (the generated Makefile numbers each step `[n/N]` by this order: `setup`, `lab-up`, `deploy`,
    /// `verify` for an itest with those steps, not `deploy` before `lab-up` by name); then the rest by name.
    public var topologicalOrder: [String] {
        plan(for: targets.filter(\.isComposite).map(\.name) + targets.filter { !$0.isComposite }.map(\.name))
    }

    /// The first cycle found, as names from a target back to itself.
    static func findCycle(in targets: [TargetDefinition], byName: [String: TargetDefinition]) -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if marks[name] == .done { return nil }
            if marks[name] == .visiting {
                let start = stack.firstIndex(of: name)!
                return Array(stack[start...]) + [name]
            }
            guard let target = byName[name] else { return nil }
            marks[name] = .visiting
            stack.append(name)
            for dependency in target.needs.map(\.name) + target.steps.map(\.name) {
                if let cycle = visit(dependency) { return cycle }
            }
            stack.removeLast()
            marks[name] = .done
            return nil
        }
        for target in targets {
            if let cycle = visit(target.name) { return cycle }
        }
        return nil
    }
}
