import Foundation
import Testing
import TestSupport

/// The steps of a generated lab job, run here as the runner would run them (`bash -e -c`, the workflow's own `env:`
/// with `${{ secrets.* }}` and `${{ runner.temp }}` filled in), with a real private key planted as the secret: the key
/// must appear neither in the steps' output (the recipes run under `set -x`) nor in Ansible's gathered facts.
@Suite("Secrets reach make as files, never as values")
struct SecretFilesTests {
    static let toolsPresent = Tools.has("ansible-playbook", "python3", "ssh-keygen")

    /// The steps of `job` in a workflow file, read with PyYAML (the venv's Python) into JSON.
    func steps(of job: String, in workflow: URL) throws -> [[String: Any]] {
        let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"
        let result = try Command.run(["python3", "-c", script, workflow.path])
        #expect(result.status == 0, "\(result)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let jobs = try #require(document["jobs"] as? [String: Any])
        let found = try #require(jobs[job] as? [String: Any])
        return try #require(found["steps"] as? [[String: Any]])
    }

    @Test("a planted SSH key stays out of set -x output and ansible_env; its file is gone after the job",
          .enabled(if: toolsPresent, "ansible-playbook, python3 with PyYAML or ssh-keygen is missing (set GOLDENPATH_VENV)"))
    func plantedKey() throws {
        let workspace = try Workspace(fixture: "Tests/Fixtures/secrets")
        defer { workspace.remove() }
        let generated = try workspace.goldenpath(["generate", "-q"])
        #expect(generated.status == 0, "\(generated)")
        try workspace.write("""
            - name: Record the facts Ansible gathers
              hosts: all
              gather_facts: true
              vars:
                ansible_python_interpreter: "{{ ansible_playbook_python }}"
              tasks:
                - name: Write every host variable, ansible_env included
                  ansible.builtin.copy:
                    content: "{{ hostvars[inventory_hostname] | to_nice_json }}"
                    dest: "{{ playbook_dir }}/facts.json"
                    mode: "0600"

            """, to: "facts.yml")

        // The planted secret: a real private key, so the recipe can prove it received a usable one.
        let keys = try TemporaryDirectory(prefix: "planted-key")
        defer { keys.remove() }
        let made = try Command.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "planted", "-f", keys.path("id").path])
        #expect(made.status == 0, "\(made)")
        let key = try keys.read("id")
        let keyBody = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))
        #expect(keyBody.count > 40)

        let runnerTemp = try TemporaryDirectory(prefix: "runner-temp")
        defer { runnerTemp.remove() }
        var output = ""
        for step in try steps(of: "gate-2", in: workspace.directory.path(".github/workflows/deploy.yml")) {
            guard let run = step["run"] as? String else { continue }
            var environment = ["RUNNER_TEMP": runnerTemp.url.path, "PATH": Tools.searchPath]
            for (name, value) in (step["env"] as? [String: Any]) ?? [:] {
                var text = "\(value)"
                text = text.replacingOccurrences(of: "${{ secrets.DEPLOY_KEY }}", with: key)
                text = text.replacingOccurrences(of: "${{ runner.temp }}", with: runnerTemp.url.path)
                #expect(!text.contains("${{"), "an expression the test does not know: \(name): \(value)")
                environment[name] = text
            }
            let result = try Command.run(["bash", "-e", "-c", run], in: workspace.url, environment: environment)
            #expect(result.status == 0, "\(step["name"] ?? run): \(result)")
            output += result.output
        }
        let keyPath = runnerTemp.url.path + "/goldenpath-secrets/DEPLOY_KEY_FILE"
        // The test sees what it must: the recipe ran traced, and the facts hold the environment.
        #expect(output.contains("+ test -s \(keyPath)"), "\(output)")
        let facts = try workspace.read("facts.json")
        #expect(facts.contains("\"DEPLOY_KEY_FILE\": \"\(keyPath)\""))
        // And the key is nowhere.
        #expect(!output.contains(keyBody), "the key reached the job's output")
        #expect(!facts.contains(keyBody), "the key reached Ansible's facts")
        #expect(!FileManager.default.fileExists(atPath: keyPath), "the secret file outlived the job")
    }

    @Test("the same facts do hold a secret passed in the environment (what the file hand-off avoids)",
          .enabled(if: toolsPresent, "ansible-playbook, python3 with PyYAML or ssh-keygen is missing (set GOLDENPATH_VENV)"))
    func environmentLeaks() throws {
        let folder = try TemporaryDirectory(prefix: "env-secret")
        defer { folder.remove() }
        try folder.write("""
            - name: Record the facts
              hosts: all
              gather_facts: true
              vars:
                ansible_python_interpreter: "{{ ansible_playbook_python }}"
              tasks:
                - name: Write them
                  ansible.builtin.copy:
                    content: "{{ ansible_env | to_nice_json }}"
                    dest: "{{ playbook_dir }}/facts.json"
                    mode: "0600"

            """, to: "facts.yml")
        let result = try Command.run(["ansible-playbook", "-i", "localhost,", "-c", "local", "facts.yml"], in: folder.url,
                                     environment: ["DEPLOY_KEY": "planted-value-in-the-environment"])
        #expect(result.status == 0, "\(result)")
        #expect(try folder.read("facts.json").contains("planted-value-in-the-environment"))
    }
}
