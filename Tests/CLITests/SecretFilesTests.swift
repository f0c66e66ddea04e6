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

    /// The fixture turned into one environment `lab` whose secret DEPLOY_KEY the deploy target declares, written for
    /// both CI systems.
    func environmentWorkspace() throws -> Workspace {
        let workspace = try Workspace(fixture: "Tests/Fixtures/secrets")
        try workspace.write("""
            regenerate: goldenpath generate
            backends: [github, gitlab]
            environments:
              lab:
                runner: [self-hosted, lab]
                secrets: [DEPLOY_KEY]
            workflows:
              deploy:
                name: Deploy
                event: workflow_dispatch
                gates: [2]

            """, to: "targets/project.yml")
        try workspace.write(try workspace.read("targets/deploy.yml") + "secrets: [DEPLOY_KEY]\n", to: "targets/deploy.yml")
        let generated = try workspace.goldenpath(["generate", "-q"])
        #expect(generated.status == 0, "\(generated)")
        try workspace.write(Self.factsPlaybook, to: "facts.yml")
        return workspace
    }

    static let factsPlaybook = """
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

        """

    /// The GitLab job as the runner runs it: `script:` lines in one bash (`set -eo pipefail`) with the job's
    /// variables (the secret among them) in its environment, then `after_script:` in a shell of its own.
    @Test("GitLab: a planted SSH key stays out of set -x output and ansible_env, and out of the make steps' environment",
          .enabled(if: toolsPresent, "ansible-playbook, python3 with PyYAML or ssh-keygen is missing (set GOLDENPATH_VENV)"))
    func gitlabPlantedKey() throws {
        let workspace = try environmentWorkspace()
        defer { workspace.remove() }
        let keys = try TemporaryDirectory(prefix: "planted-key")
        defer { keys.remove() }
        let made = try Command.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "planted", "-f", keys.path("id").path])
        #expect(made.status == 0, "\(made)")
        let key = try keys.read("id")
        let keyBody = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))

        let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"
        let parsed = try Command.run(["python3", "-c", script, workspace.directory.path(".gitlab-ci.yml").path])
        #expect(parsed.status == 0, "\(parsed)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
        let job = try #require(document["deploy:gate-2"] as? [String: Any])
        #expect(job["tags"] as? [String] == ["lab"])
        let lines = try #require(job["script"] as? [String])
        let after = try #require(job["after_script"] as? [String])

        let temporary = try TemporaryDirectory(prefix: "gitlab-tmp")
        defer { temporary.remove() }
        let environment = ["DEPLOY_KEY": key, "CI_JOB_ID": "4711", "TMPDIR": temporary.url.path, "PATH": Tools.searchPath]
        let run = try Command.run(["bash", "-c", "set -eo pipefail\n" + lines.joined(separator: "\n")], in: workspace.url, environment: environment)
        #expect(run.status == 0, "\(run)")
        let keyPath = temporary.url.path + "/goldenpath-secrets-4711/DEPLOY_KEY_FILE"
        #expect(run.output.contains("+ test -s \(keyPath)"), "\(run.output)")
        let facts = try workspace.read("facts.json")
        #expect(facts.contains("\"DEPLOY_KEY_FILE\": \"\(keyPath)\""))
        #expect(!run.output.contains(keyBody), "the key reached the job's output")
        #expect(!facts.contains(keyBody), "the key reached Ansible's facts")
        #expect(!facts.contains("\"DEPLOY_KEY\":"), "the secret's own variable reached the make steps")
        #expect(FileManager.default.fileExists(atPath: keyPath))
        let cleanup = try Command.run(["bash", "-c", after.joined(separator: "\n")], in: workspace.url, environment: environment)
        #expect(cleanup.status == 0, "\(cleanup)")
        #expect(!FileManager.default.fileExists(atPath: keyPath), "the secret file outlived the job")
    }

    @Test("GitHub, with an environment: the job names it and writes the environment's secret to a file",
          .enabled(if: toolsPresent, "ansible-playbook, python3 with PyYAML or ssh-keygen is missing (set GOLDENPATH_VENV)"))
    func githubEnvironmentKey() throws {
        let workspace = try environmentWorkspace()
        defer { workspace.remove() }
        let workflow = try workspace.read(".github/workflows/deploy.yml")
        #expect(workflow.contains("    environment: lab\n    runs-on: [self-hosted, lab]\n"))
        #expect(workflow.contains("SECRET_1: ${{ secrets.DEPLOY_KEY }}"))
        #expect(workflow.contains("DEPLOY_KEY_FILE: ${{ runner.temp }}/goldenpath-secrets/DEPLOY_KEY_FILE"))
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
