"""The landmark locator: turns what a resident can see and type (pole and manhole numbers,
stop names, streets, house numbers, relations) plus a phone's fix into coordinates.

Nothing is imported here (Django imports this package before its models are ready): callers
import the modules, ``geoportal.locator.resolve.locate(...)`` for a place,
``geoportal.locator.answer.render(result)`` for its JSON and
``geoportal.locator.exif.exif_location(bytes)`` for a photo's position. See README.md.
"""
