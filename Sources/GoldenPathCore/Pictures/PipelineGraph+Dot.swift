import Foundation

extension PipelineGraph {
    /// A Graphviz digraph (`dot -Tsvg` draws it): targets as boxes, composite targets double-bordered, jobs rounded
    /// inside one cluster per workflow, environments as cylinders, secrets as hexagons.
    public func dot() -> String {
        var lines = ["digraph pipeline {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=11];",
                     "  edge [fontname=\"Helvetica\", fontsize=9];"]
        func node(_ node: Node) -> String {
            let label = ([node.title] + node.details).map(Self.dotText).joined(separator: "\\n")
            let shape: String
            switch node.kind {
            case .target: shape = "shape=box"
            case .compositeTarget: shape = "shape=box, peripheries=2"
            case .job: shape = "shape=box, style=rounded"
            case .secret: shape = "shape=hexagon"
            case .environment: shape = "shape=cylinder"
            }
            return "\(node.id) [label=\"\(label)\", \(shape)];"
        }
        lines.append("  subgraph cluster_make_targets {")
        lines.append("    label=\"make targets\";")
        lines += targets.map { "    " + node($0) }
        lines.append("  }")
        let jobsByID = Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for workflow in workflows {
            lines.append("  subgraph cluster_\(workflow.id) {")
            lines.append("    label=\"\(Self.dotText(workflow.title))\";")
            lines += workflow.nodes.compactMap { jobsByID[$0] }.map { "    " + node($0) }
            lines.append("  }")
        }
        lines += environments.map { "  " + node($0) }
        lines += secrets.map { "  " + node($0) }
        for edge in edges {
            let style = edge.kind == .after || edge.kind == .secret ? ", style=dashed" : ""
            lines.append("  \(edge.from) -> \(edge.to) [label=\"\(Self.dotText(edge.label))\"\(style)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text for inside a double-quoted Graphviz string.
    static func dotText(_ text: String) -> String {
        text.replacingAll(of: "\\", with: "\\\\").replacingAll(of: "\"", with: "\\\"")
    }
}
