import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFilesIfChanged } from "../../src/write";
import { main } from "../../src/cli";
import { simpleModule } from "../helpers/module";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gsi-files-"));

describe("writing generated files", () => {
    it("writes all changed files and leaves no temporary file", () => {
        const dir = tmp();
        const written = writeFilesIfChanged("svc", [[path.join(dir, "a"), "1"], [path.join(dir, "sub", "b"), "2"]]);
        assert.deepStrictEqual(written, [path.join(dir, "a"), path.join(dir, "sub", "b")]);
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["a", "sub"]);
    });

    it("does not touch an unchanged file", () => {
        const dir = tmp();
        const file = path.join(dir, "a");
        fs.writeFileSync(file, "same");
        fs.utimesSync(file, new Date(1000), new Date(1000));
        assert.deepStrictEqual(writeFilesIfChanged("svc", [[file, "same"]]), []);
        assert.strictEqual(fs.statSync(file).mtimeMs, 1000);
    });

    it("when one file cannot be written, none is changed and no temporary file is left", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "a"), "old");
        fs.mkdirSync(path.join(dir, "blocked"));
        fs.writeFileSync(path.join(dir, "blocked", "x"), "a non-empty directory where a file should go");
        assert.throws(() => writeFilesIfChanged("svc", [[path.join(dir, "a"), "new"], [path.join(dir, "blocked"), "file"]]), /"[^"]*blocked" cannot be written \(EEXIST: it exists and is not a regular file\): move it away/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "a"), "utf8"), "old");
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["a", "blocked"]);
    });

    it("the CLI refuses a directory where a file goes, before writing anything", async () => {
        const mod = simpleModule();
        const out = tmp();
        fs.mkdirSync(path.join(out, ".github", "workflows", "svc.yml"), { recursive: true });
        fs.writeFileSync(path.join(out, ".github", "workflows", "svc.yml", "x"), "");
        let err = "";
        const code = await main(["render", mod, "--out", out, "--name", "svc"], () => undefined, (s) => (err += s));
        assert.strictEqual(code, 2);
        assert.match(err, /^go-service-image: "[^"]*svc\.yml" exists and is not a regular file: move it away; nothing was written\.\n$/);
        assert.ok(!fs.existsSync(path.join(out, "Dockerfile")), "no Dockerfile without its workflow");
        assert.deepStrictEqual(fs.readdirSync(out), [".github"]);
    });
});
