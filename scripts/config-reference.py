#!/usr/bin/env python3
"""Rewrites the table of docs/configuration.md from the configuration metadata the build
generates (vsock-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json).
Run it after `mvn compile` when a property changes; ConfigurationMetadataTest fails until the
table says what the metadata says."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
metadata = json.loads((root / "vsock-spring-boot-autoconfigure/target/classes/META-INF/"
                       "spring-configuration-metadata.json").read_text())
types = {"java.lang.Long": "long", "java.lang.Integer": "int", "java.lang.String": "string",
         "java.lang.Boolean": "boolean", "java.util.List<java.lang.String>": "list of strings",
         "java.util.List<dev.vsock.boot.transport.VsockTransport>": "list of g2h, h2g, loopback",
         "java.time.Duration": "duration", "java.nio.file.Path": "path",
         "org.springframework.util.unit.DataSize": "data size"}
# Defaults the metadata cannot state: no initialiser, or one that means "none".
defaults = {"server.vsock.enabled": "true when a port is set", "server.vsock.port": "(none)", "management.server.vsock.port": "(none)",
            "server.vsock.allowed-cids": "(empty: every peer)", "server.vsock.required-transports": "(empty)",
            "spring.vsock.client.connect-timeout": "(Netty: 30s)", "spring.vsock.client.response-timeout": "(none)",
            "server.vsock.hybrid.uds-path": "(none: AF_VSOCK)",
            "management.server.vsock.allowed-cids": "(as server.vsock.allowed-cids)",
            "management.server.vsock.allow-local": "(as server.vsock.allow-local)",
            "management.server.vsock.max-connections": "(as server.vsock.max-connections)",
            "spring.grpc.server.vsock.port": "(none)", "spring.grpc.server.vsock.allowed-cids": "(as server.vsock.allowed-cids)",
            "spring.grpc.server.vsock.allow-local": "(as server.vsock.allow-local)",
            "spring.grpc.server.vsock.max-connections": "(as server.vsock.max-connections)", "spring.vsock.client.ssl.bundle": "(none: plain HTTP)",
            "spring.vsock.client.ssl.server-name": "(none: the chain only)",
            "server.vsock.buffer-size": "(kernel: 256KB)", "spring.vsock.client.buffer-size": "(kernel: 256KB)",
            "management.server.vsock.buffer-size": "(as server.vsock.buffer-size)",
            "spring.grpc.server.vsock.buffer-size": "(as server.vsock.buffer-size)",
            "server.vsock.fd-name": "(none: by port)", "management.server.vsock.fd-name": "(none: by port)",
            "spring.grpc.server.vsock.fd-name": "(none: by port)"}
rows = []
for p in sorted(metadata["properties"], key=lambda p: (p["name"] != "server.vsock.port", p["name"])):
    default = p.get("defaultValue")
    default = "`%s`" % str(default).lower() if default is not None else defaults.get(p["name"], "")
    rows.append("| `%s` | %s | %s | %s |" % (p["name"], types.get(p["type"], p["type"]), default,
                                            p["description"].replace("'", "`")))
table = "| key | type | default | description |\n|---|---|---|---|\n" + "\n".join(rows)
doc = root / "docs/configuration.md"
text = doc.read_text()
start = text.index("| key |")
end = text.index("\n\n", start)
doc.write_text(text[:start] + table + text[end:])
print("\n".join(rows))
