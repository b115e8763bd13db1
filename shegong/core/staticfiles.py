"""Static files storage for production: WhiteNoise's compressed manifest (hashed names), except
that a source-map comment naming a map we do not ship is left as it is.

The vendored Tabler files end with ``sourceMappingURL=tabler.min.css.map``; their maps are not
vendored (they only serve browser developer tools), and Django's manifest storage refuses the
whole collectstatic over a reference it cannot resolve. The vendored files stay byte-for-byte as
published; any other unresolved reference (a url() in our CSS) still fails collectstatic.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if "sourceMappingURL" in matchobj["matched"]:
                    return matchobj["matched"]
                raise

        return converter
