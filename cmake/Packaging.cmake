# Installation rules and the Debian package (scripts/package.sh; README "Production install").
# Paths follow Debian: the binary in /usr/bin, the web app in /usr/share/yoyaku/web, the
# configuration in /etc/yoyaku (a conffile), the unit in /lib/systemd/system; the state
# folders and the system user come from the maintainer scripts in packaging/debian.
include(GNUInstallDirs)

install(TARGETS yoyaku RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The built web app (scripts/web.sh), served by the binary or by a proxy in front.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/yoyaku/web)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/yoyaku.toml DESTINATION /etc/yoyaku
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/yoyaku.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/SECURITY.md
              ${PROJECT_SOURCE_DIR}/THIRD-PARTY-NOTICES.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian's place for the license: machine-readable, the text in /usr/share/common-licenses.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN "*.yaml" PATTERN "*.yml" PATTERN "*.conf")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME yoyaku)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_CONTACT "Yoyaku maintainers <maintainers@yoyaku.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hostable multi-tenant reservation platform")
set(CPACK_PACKAGE_DESCRIPTION
    "Appointments, room and facility rentals, event tickets and courses for businesses,\
 theatres and public facility offices, with the security controls of ISO 27001/27017\
 built in. One binary serving the booking site, the admin console and a JSON API on\
 SQLite or PostgreSQL.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://yoyaku.invalid/")
# Shared libraries found by dpkg-shlibdeps; the rest is what the binary reads at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, modsecurity-crs, fonts-ipaexfont-gothic, tzdata, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, postgresql-15")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
