"""Static files storage: hashed, compressed names once collected, plain names before.

`cchc serve` runs `collectstatic` at start, so production pages link
`app.4f2c….css`, which WhiteNoise serves with a one-year cache and gzip. Before any
`collectstatic` (tests, `cchc demo`, development) the manifest is empty and pages
link the plain names, which WhiteNoise serves from the package (WHITENOISE_USE_FINDERS).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            # Not collected (yet): the plain name, served from the package.
            return name
