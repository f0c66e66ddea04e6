import ArgumentParser
import Foundation
import GoldenPathCore

extension Verify {
    /// `goldenpath verify --propose HOST`: runs the probe module's survey on HOST through Ansible (the same module
    /// the verification playbook runs) and prints check blocks for what it found.
    func proposeChecks(for host: String) throws {
        let root = repository.rootURL
        let library = root.appendingPathComponent("playbooks/tests/library")
        guard FileManager.default.fileExists(atPath: library.appendingPathComponent(ProbeModule.fileName).path) else {
            throw ValidationError("playbooks/tests/library/\(ProbeModule.fileName) does not exist: run `goldenpath generate` first")
        }
        let venvAnsible = root.appendingPathComponent(".venv/bin/ansible").path
        let ansible = FileManager.default.isExecutableFile(atPath: venvAnsible) ? venvAnsible : "ansible"
        let output = try ProcessRunner.run([ansible, host, "-i", inventory, "-m", "goldenpath_verify", "-a", #"{"mode": "survey"}"#],
                                           in: root, environment: [
                                               "ANSIBLE_LIBRARY": library.path, "ANSIBLE_NOCOLOR": "1",
                                           ], timeout: 300)
        let result = Self.surveyResult(output.stdout, host: host)
        guard let result else {
            throw ValidationError("no survey of \(host) (ansible exited with \(output.status)): \(output.stderr.isEmpty ? output.stdout : output.stderr)")
        }
        let survey = try DiagnosticReporter.run { () throws(DiagnosticsError) in
            try HostSurvey.parse(SourceFile(path: "survey of \(host)", text: result))
        }
        print(CheckProposal.render(host: host, group: group, survey: survey), terminator: "")
    }

    /// The host's result in ad-hoc `ansible`'s output (`HOST | SUCCESS => {…}`), as JSON text; nil when it failed.
    static func surveyResult(_ stdout: String, host: String) -> String? {
        guard let marker = stdout.range(of: "\(host) | SUCCESS => ") else { return nil }
        let text = stdout[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any] else { return nil }
        return text
    }
}
