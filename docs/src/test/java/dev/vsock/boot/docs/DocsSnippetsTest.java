package dev.vsock.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of {@code README.md} and {@code docs/*.md} compiles against the published
 * artifacts, so that a page cannot drift from the code it shows. A snippet is one fenced
 * {@code ```java} block; it is compiled as it is written, with the imports a reader would add
 * (below) and wrapped where it is not a whole class:
 * <ul>
 * <li>a class (a line that declares one at the snippet's outer level) is compiled as it is;</li>
 * <li>members (the snippet starts with an annotation or a method declaration) go into a class;</li>
 * <li>statements go into a method of a class, whose parameters are the names a page leaves to the
 * reader ({@link #FREE_NAMES}).</li>
 * </ul>
 * A line that is only {@code ...} (the page's "your code here") becomes a comment.
 */
class DocsSnippetsTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern FENCE = Pattern.compile("(?m)^([ \\t]*)```java[ \\t]*\\n(.*?)^[ \\t]*```",
			Pattern.DOTALL);

	private static final Pattern CLASS_DECLARATION = Pattern
		.compile("(?m)^((public|final|abstract|static)\\s+)*(class|record|interface|enum)\\s+\\w+");

	private static final Pattern METHOD_DECLARATION = Pattern
		.compile("^(@.*\\n)*\\s*[\\w<>\\[\\], ?]+\\s+\\w+\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{");

	/** What the pages' snippets use; java.net.http is left out (its HttpClient is Reactor Netty's here). */
	private static final List<String> IMPORTS = List.of("java.nio.file.*", "java.time.*", "dev.vsock.boot.*",
			"dev.vsock.boot.client.*", "dev.vsock.boot.grpc.*", "dev.vsock.boot.hybrid.*", "dev.vsock.boot.netty.*",
			"dev.vsock.boot.transport.*", "dev.vsock.boot.web.*", "dev.vsock.boot.test.*",
			"dev.vsock.boot.test.junit.*", "io.netty.bootstrap.*", "io.netty.channel.*", "io.netty.channel.epoll.*",
			"io.grpc.InsecureChannelCredentials", "io.grpc.ManagedChannel", "io.grpc.netty.NettyChannelBuilder",
			"org.jspecify.annotations.Nullable", "org.junit.jupiter.api.Test",
			"org.springframework.context.annotation.Bean", "org.springframework.grpc.client.GrpcChannelBuilderCustomizer",
			"org.springframework.grpc.client.GrpcChannelFactory",
			"org.springframework.boot.ssl.*", "org.springframework.boot.ssl.pem.*",
			"org.springframework.boot.test.context.SpringBootTest",
			"org.springframework.boot.test.context.SpringBootTest.WebEnvironment",
			"static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT",
			"org.springframework.http.client.*", "org.springframework.http.client.reactive.*",
			"org.springframework.web.bind.annotation.*", "org.springframework.web.client.*",
			"org.springframework.web.reactive.function.client.*", "reactor.core.publisher.*",
			"reactor.netty.http.client.HttpClient", "reactor.netty.resources.ConnectionProvider");

	/** Names a page's statements use without declaring them, as parameters of the wrapping method. */
	private static final String FREE_NAMES = "ChannelHandler handler, GrpcChannelFactory channels";

	@TempDir
	Path classes;

	@TestFactory
	Stream<DynamicTest> everyJavaSnippetOfTheDocsCompiles() throws IOException {
		List<Snippet> snippets = snippets();
		assertThat(snippets).as("Java snippets in README.md and docs/*.md").isNotEmpty();
		return snippets.stream()
			.map((snippet) -> DynamicTest.dynamicTest(snippet.location(), () -> assertThat(compile(snippet))
				.as("%s does not compile as written:%n%s", snippet.location(), snippet.code())
				.isEmpty()));
	}

	private List<String> compile(Snippet snippet) {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		String source = snippet.source();
		JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + snippet.className() + ".java"),
				JavaFileObject.Kind.SOURCE) {
			@Override
			public CharSequence getCharContent(boolean ignoreEncodingErrors) {
				return source;
			}
		};
		List<String> options = List.of("-classpath", classpath(), "-d", this.classes.toString(), "-proc:none",
				"-Xlint:none", "-parameters");
		compiler.getTask(null, null, diagnostics, options, null, List.of(file)).call();
		List<String> errors = new ArrayList<>();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
			if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
				String line = source.lines().skip(diagnostic.getLineNumber() - 1).findFirst().orElse("").strip();
				errors.add(diagnostic.getMessage(Locale.ROOT) + " (at: " + line + ")");
			}
		}
		return errors;
	}

	private static String classpath() {
		// Surefire passes the test classpath in a manifest-only jar; this property has it in full.
		String classpath = System.getProperty("surefire.test.class.path");
		return (classpath != null) ? classpath : System.getProperty("java.class.path");
	}

	private static List<Snippet> snippets() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		List<Snippet> snippets = new ArrayList<>();
		for (Path page : pages) {
			String text = read(page);
			Matcher fence = FENCE.matcher(text);
			while (fence.find()) {
				int line = (int) text.substring(0, fence.start()).lines().count() + 2;
				String code = unindent(fence.group(2), fence.group(1).length());
				snippets.add(new Snippet(ROOT.relativize(page) + ":" + line, snippets.size() + 1, code));
			}
		}
		return snippets;
	}

	private static String unindent(String code, int indent) {
		StringBuilder result = new StringBuilder();
		for (String line : code.split("\n", -1)) {
			int strip = 0;
			while (strip < indent && strip < line.length() && Character.isWhitespace(line.charAt(strip))) {
				strip++;
			}
			String text = line.substring(strip);
			result.append(text.strip().equals("...") ? "// ..." : text).append('\n');
		}
		return result.toString();
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Snippet(String location, int number, String code) {

		String className() {
			return "Snippet" + this.number;
		}

		String source() {
			StringBuilder source = new StringBuilder("package snippets;\n");
			IMPORTS.forEach((name) -> source.append("import ").append(name).append(";\n"));
			if (CLASS_DECLARATION.matcher(this.code).find()) {
				// The page's class, with the name it has; each compiles on its own, so names may repeat.
				return source.append(this.code).toString();
			}
			if (this.code.startsWith("@") || METHOD_DECLARATION.matcher(this.code).find()) {
				return source.append("class ").append(className()).append(" {\n").append(this.code).append("}\n")
					.toString();
			}
			return source.append("class ")
				.append(className())
				.append(" {\nvoid snippet(")
				.append(FREE_NAMES)
				.append(") throws Exception {\n")
				.append(this.code)
				.append("}\n}\n")
				.toString();
		}

	}

}
