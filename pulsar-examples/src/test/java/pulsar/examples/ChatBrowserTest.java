package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import pulsar.testkit.ArbiterExtension;

/**
 * The chat in real browsers: two headless Chromium sessions (Debian's {@code chromium} and
 * {@code chromedriver}, driven by Selenium) on a chat of two process workers, each page served
 * by a different worker, see each other's messages. Skipped only when Chromium is not installed
 * ({@code .ci/run} installs it).
 */
@Timeout(180)
class ChatBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    @TempDir
    static Path profiles;
    private static ChatServer chat;
    private static final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver");
        chat = new ChatServer();
    }

    @AfterAll
    static void stop() throws Exception {
        browsers.forEach(WebDriver::quit);
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(p -> p.info().command().orElse("").contains("chrom")));
        if (chat != null) {
            chat.close();
        }
    }

    private static WebDriver browser(String name) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + profiles.resolve(name));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    /** Loads the chat page and waits for its socket's welcome: returns the pid of the worker holding it. */
    private static long open(WebDriver browser) {
        browser.get(chat.http("/"));
        return pid(browser);
    }

    private static long pid(WebDriver browser) {
        String[] pid = new String[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> (pid[0] = browser.findElement(By.id("status")).getDomAttribute("data-pid")) != null);
        return Long.parseLong(pid[0]);
    }

    private static void say(WebDriver browser, String name, String text) {
        browser.findElement(By.id("name")).clear();
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("text")).sendKeys(text);
        browser.findElement(By.id("send")).click();
    }

    private static void waitFor(WebDriver browser, String line) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#messages li"))
                .stream().map(e -> e.getText()).toList()).contains(line));
    }

    @Test
    void twoBrowsersOnDifferentWorkers_seeEachOthersMessages() {
        WebDriver ann = browser("ann");
        WebDriver bob = browser("bob");
        long annPid = open(ann);
        long bobPid = open(bob);
        for (int i = 0; i < 30 && bobPid == annPid; i++) {
            bob.navigate().refresh(); // a new page, a new connection: the kernel may give it to the other worker
            bobPid = pid(bob);
        }
        assertThat(bobPid).as("the two pages are served by two workers").isNotEqualTo(annPid);

        say(ann, "ann", "hello bob");
        waitFor(bob, "ann: hello bob");
        waitFor(ann, "ann: hello bob");

        say(bob, "bob", "hi ann, from pid " + bobPid);
        waitFor(ann, "bob: hi ann, from pid " + bobPid);
        waitFor(bob, "bob: hi ann, from pid " + bobPid);
    }
}
