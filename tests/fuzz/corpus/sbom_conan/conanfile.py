from conan import ConanFile

class Firmware(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    requires = "zlib/1.2.13", ("fmt/10.1.1", "private")
    tool_requires = ["cmake/3.27.1"]

    def requirements(self):
        self.requires("openssl/3.1.1")
        self.requires('lwip/2.1.3@vendor/stable', override=True)
        if self.options.with_tls:
            self.requires(f"mbedtls/{self.tls_version}")
