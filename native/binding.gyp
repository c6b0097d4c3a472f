{
  "targets": [
    {
      "target_name": "rollup_crypto",
      "sources": ["rollup_crypto.c"],
      "cflags_c": ["-std=c11", "-O3", "-Wall", "-Wextra"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-std=c11", "-O3"]
      }
    }
  ]
}
