// The extension's page (Extensions view → Scaling Lens) shows the README the VSIX ships. VS Code drops
// the relative links and images of an extension installed from a VSIX (their href and src removed:
// the "docs/FORMATS.md" link did nothing, the screenshot was a broken image; a data: URI is dropped
// too), so the VSIX's README leaves the screenshot out and carries docs/FORMATS.md as its last
// section, the links pointing there.
export const title = 'extension page: no broken image or dead link, the formats link goes to the formats section';

export default async function ({ page, wb, shot, assert }) {
  await wb.runCommand('Extensions: Show Installed Extensions');
  const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Scaling Lens' }).first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  await item.click();
  const readme = await wb.waitForWebview({ selector: 'a[href="#formats-scaling-lens-reads"]', timeout: 60_000 });
  await shot('extension-page');
  // No broken image (one whose source VS Code removed, or that did not load).
  const broken = await readme.locator('img').evaluateAll((is) => is.filter((i) => !i.getAttribute('src') || (i.complete && i.naturalWidth === 0)).map((i) => i.alt));
  assert.deepEqual(broken, [], `broken images: ${broken.join(' | ')}`);
  // No link is left without its target (VS Code removes the href of a relative one).
  const dead = await readme.locator('a').evaluateAll((as) => as.filter((a) => !a.getAttribute('href') && !a.getAttribute('name') && !a.id).map((a) => a.textContent));
  assert.deepEqual(dead, [], `links without a target: ${dead.join(' | ')}`);
  // The formats link scrolls to the formats section, which is on the page.
  const section = readme.locator('#formats-scaling-lens-reads');
  assert.equal(await section.count(), 1, 'the formats section has the anchor the link names');
  await readme.locator('a[href="#formats-scaling-lens-reads"]').first().click();
  await wb.waitUntil('the formats section scrolled into view', async () => {
    const top = await section.evaluate((h) => h.getBoundingClientRect().top);
    return top >= -5 && top < 300;
  }, 15_000);
  await shot('formats-section-after-the-link');
  assert.match(await section.textContent(), /Formats Scaling Lens reads/);
}
